/**
 * DropboxProvider uploads beyond the shared conformance suite, against the emulator: resumable
 * sessions across "restarts" (checkpoint), offset resync, lost answers (checked, never repeated
 * blindly), fail-fast conflicts, closing the source, verification (and undoing a wrong commit),
 * hashing once, chunk sizes, client_modified and header-safe arguments.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
/** Requests sent since the last reset: the route (`/2/files/upload`...), raw Dropbox-API-Arg and JSON body of each. */
let requests: Array<{ route: string; arg: string | undefined; body: string | undefined }> = [];
let scratchCount = 0;

beforeAll(async () => {
  emulator = await startDropboxEmulator({ seed: 'empty' });
});
afterAll(() => emulator.close());
beforeEach(() => {
  sentBytes = 0;
  requests = [];
  emulator.admin.clearFaults();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts what goes out (after `inner`'s changes), then sends it through `inner`. */
const counting =
  (inner: typeof fetch = fetch): typeof fetch =>
  async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = typeof init?.body === 'string' ? init.body : undefined;
    requests.push({ route: url.pathname, arg: headers['Dropbox-API-Arg'], body });
    if (url.pathname.startsWith('/2/files/upload') && init?.body) {
      sentBytes += (init.body as Uint8Array).byteLength;
    }
    return inner(input, init);
  };

const sent = (route: string) => requests.filter((request) => request.route === route).length;

function connect(
  options: { retries?: number; chunkSize?: number; fetch?: typeof fetch } = {},
): Promise<DropboxProvider> {
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  return DropboxProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    fetch: counting(options.fetch),
    uploadChunkSize: options.chunkSize ?? 256 * KiB,
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

/** A Dropbox RPC sent straight to the emulator (not through the provider) as the first user. */
async function rpc(route: string, arg: unknown): Promise<unknown> {
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  const response = await fetch(`${emulator.url}/2/${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(arg),
  });
  return response.json();
}

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

  it('resyncs a checkpoint behind the session to the offset Dropbox names', async () => {
    const checkpoint = memoryCheckpoint();
    const provider = await connect();
    const folder = await scratch(provider);
    await interrupted(provider, folder, checkpoint);
    // As saved after the first chunk, when the answer to the second append was lost.
    const stale = 256 * KiB;
    const saved = JSON.parse(checkpoint.saved!) as Record<string, unknown>;
    checkpoint.saved = JSON.stringify({
      ...saved,
      offset: stale,
      prefixHash: contentHash(bytes.subarray(0, stale)),
    });
    sentBytes = 0;
    await expectComplete(provider, folder, checkpoint);
    expect(sentBytes).toBe(bytes.length - 512 * KiB);
  });

  it('starts over when the session holds fewer bytes than its checkpoint says', async () => {
    const checkpoint = memoryCheckpoint();
    const provider = await connect();
    const folder = await scratch(provider);
    await interrupted(provider, folder, checkpoint);
    const ahead = 768 * KiB;
    const saved = JSON.parse(checkpoint.saved!) as Record<string, unknown>;
    checkpoint.saved = JSON.stringify({
      ...saved,
      offset: ahead,
      prefixHash: contentHash(bytes.subarray(0, ahead)),
    });
    sentBytes = 0;
    await expectComplete(provider, folder, checkpoint);
    expect(sentBytes).toBe(bytes.length);
  });

  it('starts over when the session is gone or the checkpoint belongs to another upload', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const prefixHash = contentHash(bytes.subarray(0, 512 * KiB));
    for (const saved of [
      JSON.stringify({ sessionId: 'no-such-session', offset: 512 * KiB, size: bytes.length, prefixHash }),
      JSON.stringify({ sessionId: 'x', offset: 512 * KiB, size: 99, prefixHash }),
      JSON.stringify({ sessionId: 'x', offset: 512 * KiB, size: bytes.length }), // no prefix hash
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

  it('does not resume onto the session when the source changed since the checkpoint', async () => {
    const checkpoint = memoryCheckpoint();
    const provider = await connect();
    const folder = await scratch(provider);
    await interrupted(provider, folder, checkpoint);
    expect(JSON.parse(checkpoint.saved!)).toMatchObject({
      prefixHash: contentHash(bytes.subarray(0, 512 * KiB)),
    });
    const changed = Buffer.from(bytes);
    changed[100] = 0xff - bytes[100]!;
    sentBytes = 0;
    const write = () =>
      provider.write(folder, 'resumed.bin', Readable.from([changed]), {
        conflict: 'fail',
        size: changed.length,
        checkpoint,
      });
    await expect(write()).rejects.toMatchObject({
      code: 'transient',
      message: expect.stringContaining('source differs'),
    });
    expect(sentBytes).toBe(0);
    expect(checkpoint.saved).toBeNull();
    expect(await listAll(provider, folder)).toEqual([]);
    // The next attempt starts over and stores the new bytes.
    const item = await write();
    expect(sentBytes).toBe(changed.length);
    expect((await readAll(await provider.read(item.id))).equals(changed)).toBe(true);
  });

  it('finds the file of a finish whose answer was lost after a restart, instead of starting over', async () => {
    const checkpoint = memoryCheckpoint();
    // The process dies once the finish was sent: Dropbox commits, the answer is never read.
    const dyingAfterFinish: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/2/files/upload_session/finish')) throw new Error('the process was killed');
      return response;
    };
    const first = await connect({ fetch: dyingAfterFinish });
    const folder = await scratch(first);
    await expect(
      first.write(folder, 'resumed.bin', Readable.from([bytes]), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toThrow('the process was killed');
    expect(JSON.parse(checkpoint.saved!)).toMatchObject({
      finishing: { path: expect.stringContaining('/resumed.bin'), contentHash: contentHash(bytes) },
    });
    sentBytes = 0;
    await expectComplete(await connect(), folder, checkpoint);
    expect(sentBytes).toBe(0);
    expect(checkpoint.saved).toBeNull();
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

describe('DropboxProvider uploads whose answer was lost', () => {
  const names = async (provider: DropboxProvider, folder: string) =>
    (await listAll(provider, folder)).map((child) => child.name).sort();

  it.each([
    ['fail', false, ['a.bin']],
    ['replace', true, ['a.bin']],
    ['rename', true, ['a (2).bin', 'a.bin']],
    ['rename', false, ['a.bin']],
  ] as const)(
    'checks a files/upload at its target instead of repeating it (conflict=%s, name taken: %s)',
    async (conflict, taken, expected) => {
      const provider = await connect({ retries: 3 });
      const folder = await scratch(provider);
      if (taken)
        await provider.write(folder, 'a.bin', Readable.from([Buffer.from('old')]), { conflict: 'fail' });
      const bytes = pattern(100 * KiB);
      emulator.admin.setFaults('drop POST /2/files/upload times=1');
      requests = [];
      const item = await provider.write(folder, 'a.bin', Readable.from([bytes]), {
        conflict,
        size: bytes.length,
      });
      expect(emulator.admin.faults()[0]!.fired).toBe(1);
      expect(sent('/2/files/upload')).toBe(1);
      expect(item).toMatchObject({ name: expected.length === 2 ? 'a (2).bin' : 'a.bin', size: bytes.length });
      expect((await readAll(await provider.read(item.id))).equals(bytes)).toBe(true);
      expect(await names(provider, folder)).toEqual(expected);
    },
  );

  it('finds the file of a finish whose answer was lost, instead of reporting the session gone', async () => {
    const provider = await connect({ retries: 3 });
    const folder = await scratch(provider);
    await provider.write(folder, 'big.bin', Readable.from([Buffer.from('old')]), { conflict: 'fail' });
    const bytes = pattern(600 * KiB);
    emulator.admin.setFaults('drop POST /2/files/upload_session/finish times=1');
    const item = await provider.write(folder, 'big.bin', Readable.from([bytes]), { conflict: 'rename' });
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    expect(item).toMatchObject({ name: 'big (2).bin', size: bytes.length });
    expect(item.hashes.dropbox).toBe(contentHash(bytes));
    expect(await names(provider, folder)).toEqual(['big (2).bin', 'big.bin']);
  });

  it('repeats a commit after a 500 once the check shows that Dropbox had not acted', async () => {
    const provider = await connect({ retries: 3 });
    const folder = await scratch(provider);
    emulator.admin.setFaults('error=500 POST /2/files/upload times=1');
    requests = [];
    const item = await provider.write(folder, 'a.bin', Readable.from([Buffer.from('abc')]), {
      conflict: 'fail',
    });
    expect(sent('/2/files/upload')).toBe(2);
    expect(item).toMatchObject({ name: 'a.bin', size: 3 });
    expect(await names(provider, folder)).toEqual(['a.bin']);
  });

  it('numbers a taken name itself on rename, so that each commit names its target', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    for (const content of ['one', 'two', 'three']) {
      await provider.write(folder, 'n.txt', Readable.from([Buffer.from(content)]), { conflict: 'rename' });
    }
    expect(await names(provider, folder)).toEqual(['n (2).txt', 'n (3).txt', 'n.txt']);
    const commits = requests.filter((request) => request.route === '/2/files/upload');
    for (const commit of commits) expect(JSON.parse(commit.arg!)).toMatchObject({ autorename: false });
  });
});

describe('DropboxProvider closes the source', () => {
  /** A stream of `chunks` chunks of 64 KiB that is never read to its end by a failed write. */
  function long(chunks: number): Readable {
    return Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) yield pattern(64 * KiB);
      })(),
    );
  }

  it('destroys the source stream when a write fails (name taken, missing parent)', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    await provider.write(folder, 'taken.bin', Readable.from([Buffer.from('x')]), { conflict: 'fail' });
    const refused = long(16);
    await expect(
      provider.write(folder, 'taken.bin', refused, { conflict: 'fail', size: 16 * 64 * KiB }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(refused.destroyed).toBe(true);

    const orphan = long(16);
    await expect(
      provider.write('id:nothing-here', 'x.bin', orphan, { conflict: 'fail' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(orphan.destroyed).toBe(true);
  });

  it('destroys the source stream when the upload fails before reading it (checkpoint unreadable)', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const unread = long(16);
    const broken: UploadCheckpoint = {
      load: async () => {
        throw new Error('checkpoint store gone');
      },
      save: async () => undefined,
      clear: async () => undefined,
    };
    await expect(
      provider.write(folder, 'x.bin', unread, { conflict: 'fail', checkpoint: broken }),
    ).rejects.toThrow('checkpoint store gone');
    expect(unread.destroyed).toBe(true);
  });
});

describe('DropboxProvider upload verification', () => {
  /** A fetch that stores other bytes than the provider sent: the first byte flipped, the argument's content_hash made to match. */
  const corrupting =
    (inner: typeof fetch = fetch): typeof fetch =>
    async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.endsWith('/2/files/upload') || !init?.body) return inner(input, init);
      const body = Buffer.from(init.body as Uint8Array);
      body[0] = 0xff - body[0]!;
      const headers = { ...(init.headers as Record<string, string>) };
      const arg = JSON.parse(headers['Dropbox-API-Arg']!) as Record<string, unknown>;
      headers['Dropbox-API-Arg'] = JSON.stringify({ ...arg, content_hash: contentHash(body) });
      return inner(input, { ...init, body, headers });
    };

  /** The `files/restore` calls sent (the emulator's real route answers them). */
  const restored = () =>
    requests
      .filter((request) => request.route === '/2/files/restore')
      .map((request) => JSON.parse(request.body!) as { path: string; rev: string });

  it('restores the replaced revision when Dropbox stored other bytes than sent (replace)', async () => {
    const setup = await connect();
    const folder = await scratch(setup);
    const old = await setup.write(folder, 'r.txt', Readable.from([Buffer.from('old content')]), {
      conflict: 'fail',
    });
    const { rev } = (await rpc('files/get_metadata', { path: old.id })) as { rev: string };
    const provider = await connect({ fetch: corrupting() });
    await expect(
      provider.write(folder, 'r.txt', Readable.from([Buffer.from('new content')]), { conflict: 'replace' }),
    ).rejects.toMatchObject({ code: 'transient', message: expect.stringContaining('was restored') });
    // The revision asked for is the replaced one; the restore is a new revision with its bytes.
    expect(restored()).toEqual([{ path: expect.stringMatching(/\/r\.txt$/), rev }]);
    const { entries } = (await rpc('files/list_revisions', { path: old.id })) as {
      entries: Array<{ rev: string; content_hash: string }>;
    };
    const stored = Buffer.from('new content');
    stored[0] = 0xff - stored[0]!;
    expect(entries.map((entry) => entry.content_hash)).toEqual([
      old.hashes.dropbox,
      contentHash(stored),
      old.hashes.dropbox,
    ]);
    expect(entries[2]!.rev).toBe(rev);
    expect((await readAll(await setup.read(old.id))).toString()).toBe('old content');
    expect(await setup.hash(old.id, 'dropbox')).toBe(old.hashes.dropbox);
  });

  it('names the state when the replaced revision cannot be restored', async () => {
    const setup = await connect();
    const folder = await scratch(setup);
    await setup.write(folder, 'r.txt', Readable.from([Buffer.from('old content')]), { conflict: 'fail' });
    emulator.admin.setFaults('error=503 POST /2/files/restore');
    const provider = await connect({ fetch: corrupting() });
    const error = (await provider
      .write(folder, 'r.txt', Readable.from([Buffer.from('new content')]), { conflict: 'replace' })
      .catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ code: 'transient' });
    expect(error.message).toMatch(
      /now holds the wrong bytes \(revision \w+\); its previous content is revision \w+/,
    );
    expect(error.message).toContain('/r.txt');
  });

  it('removes a new file whose stored bytes differ from those sent (fail, rename)', async () => {
    const provider = await connect({ fetch: corrupting() });
    const folder = await scratch(provider);
    for (const conflict of ['fail', 'rename'] as const) {
      await expect(
        provider.write(folder, 'n.txt', Readable.from([Buffer.from('content')]), { conflict }),
      ).rejects.toMatchObject({ code: 'transient', message: expect.stringContaining('removed') });
    }
    expect(await listAll(provider, folder)).toEqual([]);
  });
});

describe('DropboxProvider upload requests', () => {
  it('refuses an upload chunk size that is not a whole number of bytes from 1 to 150 MiB', async () => {
    for (const uploadChunkSize of [0, 1.5, 150 * 1024 * KiB + 1]) {
      await expect(
        DropboxProvider.connect({
          apiBaseUrl: emulator.url,
          tokens: { getAccessToken: async () => 't', invalidate: () => undefined },
          uploadChunkSize,
        }),
      ).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(
      DropboxProvider.connect({
        apiBaseUrl: emulator.url,
        tokens: { getAccessToken: async () => 't', invalidate: () => undefined },
        uploadChunkSize: 150 * 1024 * KiB,
      }),
    ).resolves.toBeInstanceOf(DropboxProvider);
  });

  it('sends a file of up to one chunk in one files/upload, and a larger one through a session', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    for (const [name, size, known] of [
      ['exact.bin', 256 * KiB, true],
      ['exact-unknown.bin', 256 * KiB, false],
      ['over.bin', 256 * KiB + 1, true],
      ['over-unknown.bin', 256 * KiB + 1, false],
    ] as const) {
      requests = [];
      const bytes = pattern(size);
      const item = await provider.write(folder, name, Readable.from([bytes]), {
        conflict: 'fail',
        ...(known ? { size } : {}),
      });
      expect(item.hashes.dropbox).toBe(contentHash(bytes));
      const single = size <= 256 * KiB;
      expect([sent('/2/files/upload'), sent('/2/files/upload_session/start')]).toEqual(
        single ? [1, 0] : [0, 1],
      );
    }
  });

  it('hashes every byte once: whole-file hash for one request, block digests for 4 MiB chunks', async () => {
    const small = pattern(300 * KiB);
    const large = pattern(9 * 1024 * KiB);
    const expected = [contentHash(small), contentHash(large)];
    const provider = await connect({ chunkSize: 4 * 1024 * KiB });
    const folder = await scratch(provider);
    // The emulator, in this process, hashes what it receives: only the provider's hashing counts.
    let hashedByProvider = 0;
    const update = DropboxContentHash.prototype.update;
    vi.spyOn(DropboxContentHash.prototype, 'update').mockImplementation(function (
      this: DropboxContentHash,
      bytes,
    ) {
      if (/\/providers\/dropbox\/[\w-]+\.ts/.test(new Error().stack ?? '')) hashedByProvider += bytes.length;
      return update.call(this, bytes);
    });
    const items = [
      await provider.write(folder, 'small.bin', Readable.from([small]), {
        conflict: 'fail',
        size: small.length,
      }),
      await provider.write(folder, 'large.bin', Readable.from([large]), {
        conflict: 'fail',
        size: large.length,
      }),
    ];
    expect(hashedByProvider).toBe(0);
    expect(items.map((item) => item.hashes.dropbox)).toEqual(expected);
    expect(sent('/2/files/upload_session/append_v2')).toBe(1);
  });

  it('sends a non-ASCII name in Dropbox-API-Arg as ASCII, with \\u escapes (upload and finish)', async () => {
    const provider = await connect();
    const folder = await scratch(provider);
    const name = 'café ☕ 日本 🎉.txt';
    requests = [];
    const small = await provider.write(folder, name, Readable.from([Buffer.from('s')]), { conflict: 'fail' });
    const large = await provider.write(folder, `big ${name}`, Readable.from([pattern(300 * KiB)]), {
      conflict: 'fail',
    });
    expect([small.name, large.name]).toEqual([name, `big ${name}`]);
    const upload = requests.find((request) => request.route === '/2/files/upload')!.arg!;
    const finish = requests.find((request) => request.route === '/2/files/upload_session/finish')!.arg!;
    for (const arg of [upload, finish]) {
      expect(arg).toMatch(/^[\x20-\x7e]+$/);
      expect(arg).toContain('caf\\u00e9 \\u2615 \\u65e5\\u672c \\ud83c\\udf89.txt');
    }
    expect((JSON.parse(upload) as { path: string }).path.endsWith(`/${name}`)).toBe(true);
    expect((JSON.parse(finish) as { commit: { path: string } }).commit.path.endsWith(`/big ${name}`)).toBe(
      true,
    );
  });
});
