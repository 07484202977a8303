/** Local-folder behaviour beyond the shared conformance suite: symlinks, escapes, trash layout. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { listAll } from '../../../../test/conformance/provider-suite';
import { LocalProvider } from './local-provider';

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
    await provider.trash('docs/a.txt');
    expect(await listAll(provider, '')).toHaveLength(1);
    const [batch] = await fs.readdir(path.join(root, '.skyfold-trash'));
    const batchDir = path.join(root, '.skyfold-trash', batch!);
    expect(await fs.readFile(path.join(batchDir, 'a.txt'), 'utf8')).toBe('A');
    expect(JSON.parse(await fs.readFile(path.join(batchDir, '.skyfold-origin.json'), 'utf8'))).toEqual({
      id: 'docs/a.txt',
    });
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

  it('detects that this filesystem is case-sensitive', () => {
    expect(provider.features.caseInsensitive).toBe(
      process.platform === 'darwin' || process.platform === 'win32',
    );
  });
});
