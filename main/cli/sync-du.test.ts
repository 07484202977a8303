/**
 * `skyfold sync` (one account or all, `--full`, text and JSON, unknown and failing accounts) and
 * `skyfold du` (totals below a folder, the root, a file alone, a missing path), through the real CLI
 * over local-folder accounts in temporary directories.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkyfoldService } from '../core/service';
import { startGdriveEmulator } from '../../emulators';
import { humanSize } from './format';
import { jsonLines, runCliAsUser } from './test-support';

const write = async (file: string, bytes: number) => {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, Buffer.alloc(bytes, 1));
};

const runner =
  (base: () => string) =>
  (...args: string[]) =>
    runCliAsUser(args, { base: base(), dataDir: path.join(base(), 'data'), env: {} });

interface Synced {
  account: string;
  id: string;
  provider: string;
  state: string;
  items: number;
  lastSyncedAt: string | null;
  message?: string;
}

describe('skyfold sync', () => {
  let base: string;
  const cli = runner(() => base);

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-sync-'));
    await write(path.join(base, 'home', 'Docs', 'old.txt'), 10);
    await write(path.join(base, 'work', 'plan.txt'), 20);
    for (const name of ['home', 'work']) {
      const added = await cli('accounts', 'add', 'local', path.join(base, name), '--name', name);
      expect(added.status, added.stderr).toBe(0);
    }
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  const found = async (word: string) => {
    const result = await cli('search', word, '--json');
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.trim() === ''
      ? []
      : jsonLines<{ account: string; path: string }>(result.stdout).map(
          (hit) => `${hit.account}:${hit.path}`,
        );
  };
  const listed = async (target: string) => {
    const result = await cli('ls', target, '--json');
    expect(result.status, result.stderr).toBe(0);
    return jsonLines<{ name: string }>(result.stdout).map((entry) => entry.name);
  };
  const itemCounts = async () => {
    const result = await cli('accounts', 'list', '--json');
    return Object.fromEntries(
      jsonLines<{ name: string; sync: { itemCount: number } }>(result.stdout).map((a) => [
        a.name,
        a.sync.itemCount,
      ]),
    );
  };

  it('syncs one account by name (any case): new files show in ls and search, the other account is untouched', async () => {
    await write(path.join(base, 'home', 'Docs', 'fresh-home.txt'), 5);
    await write(path.join(base, 'work', 'fresh-work.txt'), 5);
    expect(await found('fresh')).toEqual([]);

    const synced = await cli('sync', 'HOME');
    expect(synced.status, synced.stderr).toBe(0);
    expect(synced.stderr).toBe('');
    const lines = synced.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PROVIDER\s+STATE\s+ITEMS\s+STATUS$/);
    expect(lines).toHaveLength(2);
    const counts = await itemCounts();
    expect(lines[1]).toMatch(
      new RegExp(
        `^home\\s+local\\s+idle\\s+${counts.home}\\s+up to date at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`,
      ),
    );

    expect(await listed('home:/Docs')).toEqual(['fresh-home.txt', 'old.txt']);
    expect(await found('fresh')).toEqual(['home:/Docs/fresh-home.txt']);
  });

  it('syncs every account without ACCOUNT, in list order, one JSON object per account', async () => {
    const before = await itemCounts();
    await write(path.join(base, 'home', 'fresh-home.txt'), 5);
    await write(path.join(base, 'work', 'New', 'fresh-work.txt'), 5);

    const synced = await cli('sync', '--json');
    expect(synced.status, synced.stderr).toBe(0);
    const records = jsonLines<Synced>(synced.stdout);
    expect(records.map((record) => record.account)).toEqual(['home', 'work']);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(
        ['account', 'id', 'items', 'lastSyncedAt', 'provider', 'state'].sort(),
      );
      expect(record).toMatchObject({ provider: 'local', state: 'idle' });
      expect(record.id).toMatch(/^local-/);
      expect(new Date(record.lastSyncedAt!).toISOString()).toBe(record.lastSyncedAt);
    }
    // home gained a file; work a folder and a file.
    expect(records.map((record) => record.items)).toEqual([before.home! + 1, before.work! + 2]);
    expect(await itemCounts()).toEqual({ home: before.home! + 1, work: before.work! + 2 });
    expect(await found('fresh')).toEqual(['home:/fresh-home.txt', 'work:/New/fresh-work.txt']);

    const text = await cli('sync');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^home\s+local\s+idle\s+/),
      expect.stringMatching(/^work\s+local\s+idle\s+/),
    ]);
  });

  it('--full lists the account again: additions and deletions both show', async () => {
    await fs.rm(path.join(base, 'home', 'Docs', 'old.txt'));
    await write(path.join(base, 'home', 'Docs', 'replacement.txt'), 7);
    const refresh = vi.spyOn(SkyfoldService.prototype, 'refreshAccount');
    let calls: unknown[][];
    const synced = await cli('sync', 'home', '--full', '--json').finally(() => {
      calls = [...refresh.mock.calls];
      refresh.mockRestore();
    });
    expect(synced.status, synced.stderr).toBe(0);
    const [record] = jsonLines<Synced>(synced.stdout);
    expect(calls!).toEqual([[{ accountId: record!.id, full: true }]]);
    expect(record).toMatchObject({ account: 'home', state: 'idle' });
    expect(await listed('home:/Docs')).toEqual(['replacement.txt']);
    expect(await found('old')).toEqual([]);
    expect(record!.items).toBe((await itemCounts()).home);
  });

  it('refuses an unknown account with one error line', async () => {
    const synced = await cli('sync', 'nobody');
    expect(synced.status).toBe(1);
    expect(synced.stdout).toBe('');
    expect(synced.stderr).toBe('skyfold: no account named "nobody" (see: skyfold accounts list)\n');
  });

  it('exits 1 with a line per failed account, still reporting and syncing the others', async () => {
    await write(path.join(base, 'home', 'fresh-home.txt'), 5);
    await fs.rm(path.join(base, 'work'), { recursive: true });

    const synced = await cli('sync', '--json');
    expect(synced.status).toBe(1);
    const records = jsonLines<Synced>(synced.stdout);
    expect(records.map((record) => [record.account, record.state])).toEqual([
      ['home', 'idle'],
      ['work', 'error'],
    ]);
    expect(records[1]!.message).toBeTruthy();
    const errors = synced.stderr.trimEnd().split('\n');
    expect(errors).toEqual([`skyfold: work: ${records[1]!.message}`]);
    expect(await found('fresh')).toEqual(['home:/fresh-home.txt']);

    const text = await cli('sync', 'work');
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/\nwork\s+local\s+error\s+\d+\s+\S/);
    expect(text.stderr).toMatch(/^skyfold: work: .+\n$/);
  });
});

describe('skyfold sync of an unreachable cloud account', () => {
  let base: string;
  const cli = (...args: string[]) =>
    runCliAsUser(args, {
      base,
      dataDir: path.join(base, 'data'),
      env: { SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-tests.apps.googleusercontent.com' },
    });
  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-sync-offline-'));
  });
  afterAll(() => fs.rm(base, { recursive: true, force: true }));

  it(
    'is offline: a warning on stderr, exit 0, and the index still answers',
    { timeout: 60_000 },
    async () => {
      const emulator = await startGdriveEmulator({ seed: 'demo', autoConsent: true });
      let name: string;
      try {
        const added = await cli(
          'accounts',
          'add',
          'gdrive',
          '--endpoint',
          emulator.url,
          '--no-browser',
          '--json',
        );
        expect(added.status, added.stderr).toBe(0);
        name = (JSON.parse(added.stdout) as { name: string }).name;
      } finally {
        await emulator.close();
      }

      const synced = await cli('sync', name, '--json');
      expect(synced.status, synced.stderr).toBe(0);
      const [record] = jsonLines<Synced>(synced.stdout);
      expect(record).toMatchObject({ account: name, provider: 'gdrive', state: 'offline' });
      expect(record!.message).toBeTruthy();
      expect(record!.items).toBeGreaterThan(0);
      // Only warnings (the CI machine may add one about the OS keyring), the offline one among them.
      const warnings = synced.stderr.trimEnd().split('\n');
      expect(warnings.every((line) => line.startsWith('skyfold: warning: '))).toBe(true);
      expect(warnings).toContain(
        `skyfold: warning: ${name} is offline (${record!.message}); its index is still usable`,
      );
      const listed = await cli('ls', `${name}:`, '--json');
      expect(listed.status, listed.stderr).toBe(0);
      expect(listed.stdout).not.toBe('');
    },
  );
});

describe('skyfold du', () => {
  let base: string;
  const cli = runner(() => base);
  const many = 1200;
  // tree/a.bin, tree/Docs/b.bin, tree/Docs/Deep/c.bin, tree/Docs/Deep/Empty/, tree/Many/<1200 empty files>
  const sizes = { a: 100, b: 2_000, c: 30_000 };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-du-'));
    const tree = path.join(base, 'tree');
    await write(path.join(tree, 'a.bin'), sizes.a);
    await write(path.join(tree, 'Docs', 'b.bin'), sizes.b);
    await write(path.join(tree, 'Docs', 'Deep', 'c.bin'), sizes.c);
    await fs.mkdir(path.join(tree, 'Docs', 'Deep', 'Empty'), { recursive: true });
    await fs.mkdir(path.join(tree, 'Many'));
    for (let i = 0; i < many; i++) await fs.writeFile(path.join(tree, 'Many', `f${i}.txt`), '');
    const added = await cli('accounts', 'add', 'local', tree, '--name', 'Tree');
    expect(added.status, added.stderr).toBe(0);
  });
  afterAll(() => fs.rm(base, { recursive: true, force: true }));

  const du = async (target: string) => {
    const result = await cli('du', target, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it('totals everything below a folder, nested folders included', async () => {
    expect(await du('tree:/Docs')).toEqual({
      account: 'Tree',
      path: '/Docs',
      files: 2,
      folders: 2,
      bytes: sizes.b + sizes.c,
    });
    expect(await du('Tree:/Docs/Deep/')).toEqual({
      account: 'Tree',
      path: '/Docs/Deep',
      files: 1,
      folders: 1,
      bytes: sizes.c,
    });
    expect(await du('Tree:/Docs/Deep/Empty')).toMatchObject({ files: 0, folders: 0, bytes: 0 });

    const text = await cli('du', 'Tree:/Docs');
    expect(text).toMatchObject({ status: 0, stderr: '' });
    expect(text.stdout).toBe(`${humanSize(sizes.b + sizes.c)} in 2 files, 2 folders  Tree:/Docs\n`);
  });

  it('totals the whole account at its root, with thousands separated in text', async () => {
    const all = { files: 3 + many, folders: 4, bytes: sizes.a + sizes.b + sizes.c };
    expect(await du('Tree:')).toEqual({ account: 'Tree', path: '/', ...all });
    expect(await du('Tree:/')).toEqual({ account: 'Tree', path: '/', ...all });
    const text = await cli('du', 'Tree:');
    expect(text.stdout).toBe(
      `${humanSize(all.bytes)} in ${all.files.toLocaleString('en-US')} files, 4 folders  Tree:/\n`,
    );
    expect(text.stdout).toContain('1,203 files');
  });

  it('reports a file alone, as du does', async () => {
    expect(await du('Tree:/Docs/b.bin')).toEqual({
      account: 'Tree',
      path: '/Docs/b.bin',
      files: 1,
      folders: 0,
      bytes: sizes.b,
    });
    const text = await cli('du', 'Tree:/a.bin');
    expect(text.stdout).toBe(`${humanSize(sizes.a)} in 1 file, 0 folders  Tree:/a.bin\n`);
  });

  it('refuses a missing path and an unknown account with one error line', async () => {
    const missing = await cli('du', 'Tree:/Docs/nope');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('skyfold: Tree:/Docs/nope is not in the index\n');
    const unknown = await cli('du', 'Nobody:/', '--json');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^skyfold: no account named "Nobody".*\n$/);
    const usage = await cli('du');
    expect(usage.status).toBe(2);
  });
});
