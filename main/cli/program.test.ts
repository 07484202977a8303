import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printableName } from './format';
import { jsonLines, runCliAsUser } from './test-support';

let base: string;
let files: string;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-'));
  files = path.join(base, 'My Files');
  await fs.mkdir(path.join(files, 'Sub Folder'), { recursive: true });
  for (const name of [
    'with space.txt',
    'caf\u00e9 NFC.txt',
    'cafe\u0301 NFD.txt',
    '.dotfile',
    'line\nbreak.txt',
  ]) {
    await fs.writeFile(path.join(files, name), name);
  }
  await fs.writeFile(path.join(files, 'Sub Folder', 'inner.txt'), 'inner');
});
afterEach(() => fs.rm(base, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliAsUser(args, { base, dataDir: path.join(base, 'data'), env: {} });

describe('skyfold CLI', () => {
  it('adds a local folder (relative path) and lists accounts as text and JSON', async () => {
    const added = await cli('accounts', 'add', 'local', 'My Files', '--name', 'Home');
    expect(added).toMatchObject({ status: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Added Home \(local-[0-9a-f]+\): .*My Files, 8 items indexed\n$/);
    const listed = await cli('accounts', 'list');
    expect(listed.stdout).toMatch(/NAME\s+ID\s+PROVIDER\s+ITEMS\s+LOCATION\nHome\s+local-\w+\s+local\s+8\s+/);
    const json = await cli('accounts', 'list', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'Home',
      provider: 'local',
      sync: { itemCount: 8 },
    });
  });

  it('lists a folder with spaces, NFC and NFD unicode and leading dots, byte-exact in JSON', async () => {
    await cli('accounts', 'add', 'local', files, '--name', 'Home');
    const listed = await cli('ls', 'Home:', '--json');
    expect(listed.status).toBe(0);
    const entries = jsonLines<{ name: string; path: string; kind: string }>(listed.stdout);
    expect(entries.map((entry) => entry.name)).toEqual([
      'Sub Folder',
      '.dotfile',
      'caf\u00e9 NFC.txt',
      'cafe\u0301 NFD.txt',
      'line\nbreak.txt',
      'with space.txt',
    ]);
    expect(entries[0]).toMatchObject({ kind: 'folder', path: '/Sub Folder' });
    const text = await cli('ls', 'Home:/');
    expect(text.stdout).toContain('Sub Folder/\n');
    expect(text.stdout).toContain('cafe\u0301 NFD.txt\n');
    expect(text.stdout).toContain('line\\nbreak.txt\n');
    expect(text.stdout.split('\n')).toHaveLength(7);
  });

  it('lists nested folders and single files by ACCOUNT:PATH, by name or id', async () => {
    const added = JSON.parse((await cli('accounts', 'add', 'local', files, '--json')).stdout) as {
      id: string;
      name: string;
    };
    expect(added.name).toBe('My Files');
    const nested = await cli('ls', `${added.id}:/Sub Folder`, '--json');
    expect(JSON.parse(nested.stdout)).toMatchObject({
      name: 'inner.txt',
      path: '/Sub Folder/inner.txt',
      size: 5,
    });
    const single = await cli('ls', 'my files:Sub Folder/inner.txt');
    expect(single.stdout).toMatch(/^-\s+5 B\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+inner\.txt\n$/);
  });

  it('sorts by size, reversed', async () => {
    await cli('accounts', 'add', 'local', files, '--name', 'Home');
    await fs.writeFile(path.join(files, 'z-big.bin'), Buffer.alloc(5000));
    await cli('accounts', 'remove', 'Home');
    await cli('accounts', 'add', 'local', files, '--name', 'Home');
    const listed = await cli('ls', 'Home:', '--sort', 'size', '--reverse', '--json');
    const names = jsonLines<{ name: string }>(listed.stdout).map((entry) => entry.name);
    expect(names.slice(0, 2)).toEqual(['Sub Folder', 'z-big.bin']);
  });

  it('removes an account by name', async () => {
    await cli('accounts', 'add', 'local', files, '--name', 'Home');
    expect((await cli('accounts', 'remove', 'home')).stdout).toMatch(/^Removed Home/);
    expect((await cli('accounts', 'list')).stdout).toMatch(/No accounts yet/);
  });

  it('fails with one clear line and a non-zero status', async () => {
    const missingAccount = await cli('ls', 'Nope:/');
    expect(missingAccount).toMatchObject({ status: 1, stdout: '' });
    expect(missingAccount.stderr).toBe('skyfold: no account named "Nope" (see: skyfold accounts list)\n');
    await cli('accounts', 'add', 'local', files, '--name', 'Home');
    const missingPath = await cli('ls', 'Home:/nothing/here');
    expect(missingPath.status).toBe(1);
    expect(missingPath.stderr.trim().split('\n')).toHaveLength(1);
    const notAFolder = await cli('accounts', 'add', 'local', path.join(base, 'absent'));
    expect(notAFolder.status).toBe(1);
    expect(notAFolder.stderr).toMatch(/^skyfold: \/.*absent: not found\n$/);
    expect((await cli('frobnicate')).status).toBe(2);
    expect((await cli('serve', '--port', 'abc')).status).toBe(2);
  });
});

describe('printableName', () => {
  it('escapes control characters so names cannot forge terminal output', () => {
    expect(printableName('a\nb\tc\u001b[31m\u007f')).toBe('a\\nb\\tc\\x1b[31m\\x7f');
    expect(printableName('plain ünïcode')).toBe('plain ünïcode');
  });
});
