import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { startEmulators, type RunningEmulators } from '../../../emulators';
import { DropboxProvider } from '../providers/dropbox/dropbox-provider';
import { GdriveProvider } from '../providers/gdrive/gdrive-provider';
import { LocalProvider } from '../providers/local/local-provider';
import { OnedriveProvider } from '../providers/onedrive/onedrive-provider';
import type { AccessTokenSource, ByteRange, Provider, ProviderItem } from '../providers/types';
import { streamFile } from './stream-file';

const content = randomBytes(3 * 1024 * 1024 + 777);
const sha256 = createHash('sha256').update(content).digest('hex');

let dir: string;
let from: LocalProvider;
let to: LocalProvider;
let file: ProviderItem;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-stream-'));
  await fs.mkdir(path.join(dir, 'from'));
  await fs.mkdir(path.join(dir, 'to'));
  await fs.writeFile(path.join(dir, 'from', 'data.bin'), content);
  from = await LocalProvider.open(path.join(dir, 'from'));
  to = await LocalProvider.open(path.join(dir, 'to'));
  // As the index would know it after an earlier copy computed it.
  file = { ...(await from.stat('data.bin')), hashes: { sha256 } };
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** The provider, with `read` replaced. */
function withRead(provider: Provider, read: (id: string, range?: ByteRange) => Promise<Readable>): Provider {
  return Object.assign(Object.create(provider) as Provider, { read });
}

describe('streamFile', () => {
  it('copies the bytes, hashing them once, and the destination agrees', async () => {
    const progress: number[] = [];
    const copied = await streamFile({
      source: from,
      file,
      destination: to,
      parentId: to.rootId,
      name: 'copy.bin',
      conflict: 'fail',
      onProgress: (bytes) => progress.push(bytes),
    });
    expect((await fs.readFile(path.join(dir, 'to', 'copy.bin'))).equals(content)).toBe(true);
    expect(copied.computed.sha256).toBe(sha256);
    expect(copied.check).toEqual({ matched: ['sha256'], mismatched: [] });
    expect(progress.at(-1)).toBe(content.length);
  });

  it('commits nothing when the bytes read differ from what the source reports (a flipped byte)', async () => {
    const flipping = withRead(from, async (id, range) => {
      const stream = await from.read(id, range);
      let flipped = false;
      return stream.map((chunk: Buffer) => {
        if (flipped) return chunk;
        flipped = true;
        const copy = Buffer.from(chunk);
        copy[0]! ^= 0x01;
        return copy;
      });
    });
    await expect(
      streamFile({
        source: flipping,
        file,
        destination: to,
        parentId: to.rootId,
        name: 'bad.bin',
        conflict: 'fail',
      }),
    ).rejects.toMatchObject({ code: 'transient', message: expect.stringContaining('sha256') });
    expect(await fs.readdir(path.join(dir, 'to'))).toEqual([]);
  });

  it('continues a broken download with a Range read, and the copy is whole', async () => {
    const starts: number[] = [];
    const breaking = withRead(from, async (id, range) => {
      starts.push(range?.start ?? 0);
      const stream = await from.read(id, range);
      if (starts.length > 1) return stream;
      let sent = 0;
      return stream.map((chunk: Buffer) => {
        sent += chunk.length;
        if (sent > 1024 * 1024) throw new SkyfoldError('transient', 'connection reset');
        return chunk;
      });
    });
    const copied = await streamFile({
      source: breaking,
      file,
      destination: to,
      parentId: to.rootId,
      name: 'resumed.bin',
      conflict: 'fail',
      reopen: { pauseMs: () => 0 },
    });
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBeGreaterThan(0);
    expect(copied.computed.sha256).toBe(sha256);
    expect((await fs.readFile(path.join(dir, 'to', 'resumed.bin'))).equals(content)).toBe(true);
  });

  it('refuses a folder', async () => {
    await fs.mkdir(path.join(dir, 'from', 'sub'));
    await expect(
      streamFile({
        source: from,
        file: await from.stat('sub'),
        destination: to,
        parentId: to.rootId,
        name: 'sub',
        conflict: 'fail',
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('streamFile between clouds (emulators)', () => {
  let emulators: RunningEmulators;
  beforeAll(async () => {
    emulators = await startEmulators({ seed: 'empty' });
  });
  afterAll(() => emulators.close());

  function tokens(emulator: RunningEmulators['gdrive' | 'dropbox' | 'onedrive']): AccessTokenSource {
    const user = emulator.users[0]!;
    let token = emulator.admin.issueTokens(user).access_token;
    return {
      getAccessToken: async () => token,
      invalidate: (rejected) => {
        if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
      },
    };
  }

  it('local -> Drive -> Dropbox -> OneDrive -> local, each hop checked against both ends', async () => {
    const drive = await GdriveProvider.connect({
      apiBaseUrl: emulators.gdrive.url,
      tokens: tokens(emulators.gdrive),
    });
    const dropbox = await DropboxProvider.connect({
      apiBaseUrl: emulators.dropbox.url,
      tokens: tokens(emulators.dropbox),
    });
    const onedrive = await OnedriveProvider.connect({
      apiBaseUrl: emulators.onedrive.url,
      tokens: tokens(emulators.onedrive),
    });
    const hops: Array<[Provider, string]> = [
      [drive, 'md5'],
      [dropbox, 'dropbox'],
      [onedrive, 'quickxor'],
      [to, 'sha256'],
    ];
    let source: Provider = from;
    let current = file;
    for (const [destination, native] of hops) {
      const copied = await streamFile({
        source,
        file: current,
        destination,
        parentId: destination.rootId,
        name: 'hop.bin',
        conflict: 'fail',
      });
      expect(copied.check.mismatched).toEqual([]);
      expect(copied.check.matched).toContain(native);
      expect(copied.computed.sha256).toBe(sha256);
      source = destination;
      current = copied.item;
    }
    expect((await fs.readFile(path.join(dir, 'to', 'hop.bin'))).equals(content)).toBe(true);
  }, 60_000);
});
