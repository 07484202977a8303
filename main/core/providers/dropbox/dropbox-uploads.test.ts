/**
 * DropboxProvider uploads beyond the shared conformance suite, against the emulator: resumable
 * sessions across "restarts" (checkpoint), offset resync, lost answers, fail-fast conflicts,
 * verification and client_modified.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../../../emulators/dropbox/emulator';
import { listAll, readAll } from '../../../../test/conformance/provider-suite';
import { DropboxContentHash } from '../hashes/dropbox-content-hash';
import { Pacer } from '../pacer';
import type { UploadCheckpoint } from '../types';
import { DropboxProvider } from './dropbox-provider';

const KiB = 1024;
let emulator: DropboxEmulator;
/** Bytes sent to upload endpoints (files/upload and upload_session/*) since the last reset. */
let sentBytes = 0;
let scratchCount = 0;

beforeAll(async () => {
  emulator = await startDropboxEmulator({ seed: 'empty' });
});
afterAll(() => emulator.close());
beforeEach(() => {
  sentBytes = 0;
  emulator.admin.clearFaults();
});

const counting: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes('/2/files/upload') && init?.body) sentBytes += (init.body as Uint8Array).byteLength;
  return fetch(input, init);
};

function connect(options: { retries?: number } = {}): Promise<DropboxProvider> {
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  return DropboxProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    fetch: counting,
    uploadChunkSize: 256 * KiB,
    singleUploadLimit: 256 * KiB,
    pacer: new Pacer({
      maxConcurrency: 4,
      maxRetries: options.retries ?? 0,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
    }),
  });
}

function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 13 + 7) & 0xff;
  return bytes;
}

function memoryCheckpoint(): UploadCheckpoint & { saved: string | null } {
  const checkpoint = {
    saved: null as string | null,
    load: async () => checkpoint.saved,
    save: async (state: string) => void (checkpoint.saved = state),
    clear: async () => void (checkpoint.saved = null),
  };
  return checkpoint;
}

/** A source that sends the first `bytes` and then fails (a crash, a lost download...). */
function dying(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error('the process was killed');
    })(),
  );
}

async function scratch(provider: DropboxProvider): Promise<string> {
  return (await provider.mkdir(provider.rootId, `uploads-${++scratchCount}`, { conflict: 'fail' })).id;
}

const contentHash = (bytes: Buffer) => new DropboxContentHash().update(bytes).digest();

describe('DropboxProvider resumable uploads', () => {
  const bytes = pattern(1536 * KiB);

  /** First attempt: the source dies after 600 KiB, when two 256 KiB chunks are confirmed. */
  async function interrupted(provider: DropboxProvider, folder: string, checkpoint: UploadCheckpoint) {
    await expect(
      provider.write(folder, 'resumed.bin', dying(bytes.subarray(0, 600 * KiB)), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toMatchObject({ code: 'transient' });
  }

  async function expectComplete(provider: DropboxProvider, folder: string, checkpoint: UploadCheckpoint) {
    const item = await provider.write(folder, 'resumed.bin', Readable.from([bytes]), {
      conflict: 'fail',
      size: bytes.length,
      checkpoint,
    });
    expect(item).toMatchObject({ name: 'resumed.bin', size: bytes.length, parentId: folder });
    expect(item.hashes.dropbox).toBe(contentHash(bytes));
    expect((await readAll(await provider.read(item.id))).equals(bytes)).toBe(true);
    expect((await listAll(provider, folder)).map((child) => child.name)).toEqual(['resumed.bin']);
  }

  it('continues an interrupted upload from its checkpoint, sending only the missing bytes', async () => {
    const checkpoint = memoryCheckpoint();
    const first = await connect();
    const folder = await scratch(first);
    await interrupted(first, folder, checkpoint);
    expect(JSON.parse(checkpoint.saved!)).toMatchObject({ offset: 512 * KiB, size: bytes.length });
    expect(await listAll(first, folder)).toEqual([]);

    sentBytes = 0;
    await expectComplete(await connect(), folder, checkpoint); // a "restart": a new provider
    expect(sentBytes).toBe(bytes.length - 512 * KiB);
    expect(checkpoint.saved).toBeNull();
  });

  it.each([
    ['behind', 256 * KiB],
    ['ahead of', 768 * KiB],
  ])('resyncs a checkpoint %s the session to the offset Dropbox names', async (_label, staleOffset) => {
    const checkpoint = memoryCheckpoint();
    const provider = await connect();
    const folder = await scratch(provider);
    await interrupted(provider, folder, checkpoint);
    checkpoint.saved = JSON.stringify({ ...JSON.parse(checkpoint.saved!), offset: staleOffset });
    sentBytes = 0;
    await expectComplete(provider, folder, checkpoint);
    expect(sentBytes).toBe(bytes.length - 512 * KiB);
  });

  it('starts over when the session is gone or the checkpoint belongs to another upload', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    for (const saved of [
      JSON.stringify({ sessionId: 'no-such-session', offset: 512 * KiB, size: bytes.length }),
      JSON.stringify({ sessionId: 'x', offset: 512 * KiB, size: 99 }),
      'not json',
    ]) {
      const checkpoint = memoryCheckpoint();
      checkpoint.saved = saved;
      sentBytes = 0;
      await expectComplete(provider, folder, checkpoint);
      expect(sentBytes).toBe(bytes.length);
      expect(checkpoint.saved).toBeNull();
      await provider.trash((await listAll(provider, folder))[0]!.id);
    }
  });

  it('absorbs an append whose answer was lost (the retry learns the right offset)', async () => {
    const provider = await connect({ retries: 3 });
    const folder = await scratch(provider);
    emulator.admin.setFaults('drop POST /2/files/upload_session/append_v2 times=1');
    await expectComplete(provider, folder, memoryCheckpoint());
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
  });
});

describe('DropboxProvider session uploads', () => {
  it('refuses a taken name (case-insensitively) before sending any byte', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    await provider.write(folder, 'Big.bin', Readable.from([Buffer.from('small')]), { conflict: 'fail' });
    sentBytes = 0;
    const big = pattern(700 * KiB);
    await expect(
      provider.write(folder, 'BIG.BIN', Readable.from([big]), { conflict: 'fail', size: big.length }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(sentBytes).toBe(0);
  });

  it('uploads a stream of unknown size, in one request when it fits in a chunk', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const large = pattern(600 * KiB);
    const small = pattern(100 * KiB);
    const largeItem = await provider.write(folder, 'large.bin', Readable.from([large]), { conflict: 'fail' });
    const smallItem = await provider.write(folder, 'small.bin', Readable.from([small]), { conflict: 'fail' });
    expect(largeItem.hashes.dropbox).toBe(contentHash(large));
    expect(smallItem.hashes.dropbox).toBe(contentHash(small));
    expect((await readAll(await provider.read(largeItem.id))).equals(large)).toBe(true);
  });

  it('leaves nothing behind when a session source ends short of its size', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const bytes = pattern(600 * KiB);
    await expect(
      provider.write(folder, 'short.bin', Readable.from([bytes]), { conflict: 'fail', size: 900 * KiB }),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(await listAll(provider, folder)).toEqual([]);
  });

  it('sets client_modified (whole seconds) on single and session uploads', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const modifiedAt = Date.UTC(2020, 0, 2, 3, 4, 5, 678);
    for (const [name, size] of [
      ['single.bin', 10],
      ['session.bin', 600 * KiB],
    ] as const) {
      const item = await provider.write(folder, name, Readable.from([pattern(size)]), {
        conflict: 'fail',
        size,
        modifiedAt,
      });
      expect(item.modifiedAt).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
      expect((await provider.stat(item.id)).modifiedAt).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    }
  });
});

describe('DropboxProvider hashes', () => {
  it('reports the content_hash of the bytes and refuses other hash types and folders', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const bytes = Buffer.from('The quick brown fox');
    const item = await provider.write(folder, 'fox.txt', Readable.from([bytes]), { conflict: 'fail' });
    expect(item.hashes.dropbox).toBe(contentHash(bytes));
    expect(await provider.hash(item.id, 'dropbox')).toBe(contentHash(bytes));
    await expect(provider.hash(item.id, 'md5')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(provider.hash(folder, 'dropbox')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
