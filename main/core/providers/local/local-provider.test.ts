/** Local-folder behaviour beyond the shared conformance suite: symlinks, escapes, trash layout. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { listAll } from '../../../../test/conformance/provider-suite';
import { LocalProvider, localMaxPathLength } from './local-provider';

let base: string;
let root: string;
let provider: LocalProvider;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-local-'));
  root = path.join(base, 'root');
  await fs.mkdir(root);
  provider = await LocalProvider.open(root);
});
afterEach(() => fs.rm(base, { recursive: true, force: true }));

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof SkyfoldError ? error.code : `foreign: ${String(error)}`),
  );

describe('LocalProvider', () => {
  it('neither lists nor follows symbolic links, even to folders outside the root', async () => {
    await fs.writeFile(path.join(base, 'secret.txt'), 'outside');
    await fs.symlink(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
    await fs.symlink(base, path.join(root, 'linkdir'));
    expect(await listAll(provider, '')).toEqual([]);
    expect(await codeOf(provider.read('link.txt'))).toBe('not_found');
    expect(await codeOf(provider.write('linkdir', 'x.txt', Readable.from(['x']), { conflict: 'fail' }))).toBe(
      'not_found',
    );
    await expect(fs.readdir(base)).resolves.toEqual(['root', 'secret.txt']);
  });

  it('refuses ids that try to leave the root', async () => {
    for (const id of ['..', '../secret.txt', 'a/../../x', '/etc/passwd', 'a//b', '.skyfold-trash']) {
      expect(await codeOf(provider.stat(id))).toBe('invalid_argument');
    }
  });

  it('keeps trashed items in .skyfold-trash with their origin, and hides that folder', async () => {
    await fs.mkdir(path.join(root, 'docs'));
    await fs.writeFile(path.join(root, 'docs', 'a.txt'), 'A');
    await fs.writeFile(path.join(root, 'docs', 'origin.json'), 'user data');
    await provider.trash('docs/a.txt');
    await provider.trash('docs/origin.json');
    expect(await listAll(provider, '')).toHaveLength(1);
    expect(await listAll(provider, 'docs')).toEqual([]);
    const batches = await fs.readdir(path.join(root, '.skyfold-trash'));
    const records = await Promise.all(
      batches.map(async (batch) => {
        const dir = path.join(root, '.skyfold-trash', batch);
        const [name] = await fs.readdir(path.join(dir, 'item'));
        return {
          origin: JSON.parse(await fs.readFile(path.join(dir, 'origin.json'), 'utf8')) as { id: string },
          content: await fs.readFile(path.join(dir, 'item', name!), 'utf8'),
        };
      }),
    );
    expect(records.sort((a, b) => a.origin.id.localeCompare(b.origin.id))).toEqual([
      { origin: { id: 'docs/a.txt' }, content: 'A' },
      { origin: { id: 'docs/origin.json' }, content: 'user data' },
    ]);
  });

  it('refuses to trash into a .skyfold-trash that is a link to elsewhere', async () => {
    const elsewhere = path.join(base, 'elsewhere');
    await fs.mkdir(elsewhere);
    await fs.symlink(elsewhere, path.join(root, '.skyfold-trash'));
    await fs.writeFile(path.join(root, 'secret.txt'), 'S');
    expect(await codeOf(provider.trash('secret.txt'))).toBe('permanent');
    expect(await fs.readFile(path.join(root, 'secret.txt'), 'utf8')).toBe('S');
    expect(await fs.readdir(elsewhere)).toEqual([]);
  });

  it('never loses a file moved onto a hard link of itself', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'same inode');
    await fs.link(path.join(root, 'a.txt'), path.join(root, 'b.txt'));
    expect(await codeOf(provider.move('a.txt', { name: 'b.txt', conflict: 'fail' }))).toBe('conflict');
    expect((await fs.readdir(root)).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('leaves no partial copy when a folder copy fails part-way, and skips FIFOs', async () => {
    await fs.mkdir(path.join(root, 'src'));
    await fs.writeFile(path.join(root, 'src', 'a.txt'), 'A');
    spawnSync('mkfifo', [path.join(root, 'src', 'pipe')]);
    const copied = await provider.copy('src', { name: 'with fifo', conflict: 'fail' });
    expect((await listAll(provider, copied.id)).map((item) => item.name)).toEqual(['a.txt']);

    await fs.writeFile(path.join(root, 'src', 'locked.txt'), 'L');
    await fs.chmod(path.join(root, 'src', 'locked.txt'), 0o000);
    const failed = await codeOf(provider.copy('src', { name: 'dst', conflict: 'fail' }));
    await fs.chmod(path.join(root, 'src', 'locked.txt'), 0o644);
    if (process.getuid?.() !== 0) expect(failed).toBe('permanent'); // root reads mode-000 files anyway
    if (failed !== 'resolved') expect(await fs.readdir(root)).not.toContain('dst');
    expect((await fs.readdir(root)).filter((name) => name.startsWith('.skyfold-part-'))).toEqual([]);
  });

  it('refuses malformed and non-integer byte ranges without leaking a file handle', async () => {
    await fs.writeFile(path.join(root, 'r.txt'), '0123');
    await fs.writeFile(path.join(root, 'empty'), '');
    const before = (await fs.readdir('/proc/self/fd')).length;
    for (const range of [{ start: Number.NaN }, { start: 1.5 }, { start: 0, end: 2.5 }, { start: -1 }]) {
      expect(await codeOf(provider.read('r.txt', range))).toBe('invalid_argument');
    }
    expect(await codeOf(provider.read('empty', { start: 5 }))).toBe('invalid_argument');
    expect((await fs.readdir('/proc/self/fd')).length).toBe(before);
  });

  it('leaves no temporary file behind after a failed write', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('network dropped'));
      },
    });
    await expect(provider.write('', 'f.bin', failing, { conflict: 'fail' })).rejects.toThrow(
      /network dropped/,
    );
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('refuses the root as a move source and to be trashed', async () => {
    expect(await codeOf(provider.trash(''))).toBe('invalid_argument');
    expect(await codeOf(provider.move('', { name: 'x', conflict: 'fail' }))).toBe('invalid_argument');
  });

  it('refuses to open a missing folder or a file as an account', async () => {
    expect(await codeOf(LocalProvider.open(path.join(base, 'missing')))).toBe('not_found');
    await fs.writeFile(path.join(base, 'file'), '');
    expect(await codeOf(LocalProvider.open(path.join(base, 'file')))).toBe('invalid_argument');
  });

  it('sets the requested modification time on written files', async () => {
    const when = Date.UTC(2020, 1, 2, 3, 4, 5);
    const item = await provider.write('', 'old.txt', Readable.from([Buffer.from('x')]), {
      conflict: 'fail',
      modifiedAt: when,
    });
    expect(item.modifiedAt).toBe(when);
  });

  it('probes case sensitivity instead of guessing from the platform', async () => {
    // On this (case-sensitive) disk the probe must say so even when the platform default says otherwise.
    expect((await LocalProvider.open(root, 'darwin')).features.caseInsensitive).toBe(false);
    expect(await fs.readdir(root)).toEqual([]); // the probe cleaned up after itself
  });
});

describe('LocalProvider.findChildren and removePermanently', () => {
  it('finds by lstat: never a symlink or Skyfold internal entry, nothing under a missing or file parent', async () => {
    await fs.writeFile(path.join(root, 'real.txt'), 'x');
    await fs.symlink(path.join(root, 'real.txt'), path.join(root, 'link.txt'));
    await provider.trash('real.txt');
    await fs.writeFile(path.join(root, 'real.txt'), 'again');
    expect((await provider.findChildren('', 'real.txt')).map((item) => [item.id, item.size])).toEqual([
      ['real.txt', 5],
    ]);
    expect(await provider.findChildren('', 'link.txt')).toEqual([]);
    expect(await codeOf(provider.findChildren('', '.skyfold-trash'))).toBe('invalid_argument');
    expect(await provider.findChildren('missing', 'real.txt')).toEqual([]);
    expect(await provider.findChildren('real.txt', 'x')).toEqual([]);
    await fs.symlink(base, path.join(root, 'outside'));
    expect(await provider.findChildren('outside', 'root')).toEqual([]);
  });

  it('removes permanently: nothing goes to .skyfold-trash', async () => {
    await fs.mkdir(path.join(root, 'dir'));
    await fs.writeFile(path.join(root, 'dir', 'a.txt'), 'a');
    await fs.writeFile(path.join(root, 'b.txt'), 'b');
    await provider.removePermanently('dir');
    await provider.removePermanently('b.txt');
    await expect(fs.readdir(root)).resolves.toEqual([]);
    expect(await codeOf(provider.removePermanently('b.txt'))).toBe('not_found');
    expect(await codeOf(provider.removePermanently(''))).toBe('invalid_argument');
  });

  it('reports a path-length limit on Windows only: what MAX_PATH leaves below the root', () => {
    expect(provider.features.maxPathLength).toBeNull();
    expect(localMaxPathLength('C:\\Users\\ann\\Sky', 'win32')).toBe(260 - 1 - 'C:/Users/ann/Sky'.length - 1);
    expect(localMaxPathLength('/home/ann/sky', 'linux')).toBeNull();
    expect(localMaxPathLength(`C:\\${'x'.repeat(300)}`, 'win32')).toBe(0);
  });
});
