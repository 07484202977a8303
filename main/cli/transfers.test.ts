/**
 * `skyfold cp`, `skyfold mv` and `skyfold transfers list|resume`, through the real CLI over
 * local-folder accounts and plain folders in temporary directories, with real files: what lands at
 * the destination, what the source keeps, the `--json` summaries, conflict policies and errors.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLocalPath } from './program';
import type { BatchReport } from './transfer-report';
import { jsonLines, runCliAsUser } from './test-support';

type Summary = BatchReport & { destination: string };

const write = async (file: string, content: string) => {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
};
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );
/** Every file below `folder`, as sorted relative paths. */
const tree = async (folder: string) =>
  (await fs.readdir(folder, { recursive: true, withFileTypes: true }))
    .map(
      (entry) =>
        path.relative(folder, path.join(entry.parentPath, entry.name)) + (entry.isDirectory() ? '/' : ''),
    )
    .filter((name) => !name.startsWith('.skyfold-trash'))
    .sort();

describe('isLocalPath', () => {
  it('takes /, ., ~ and (on Windows) drive and UNC paths as local, anything else as ACCOUNT:PATH', () => {
    for (const text of ['/abs', './rel', '../up', '.hidden', '~', '~/Pictures'])
      expect(isLocalPath(text, 'linux'), text).toBe(true);
    for (const text of ['Photos:/2024', 'Photos:', 'b:/x', 'C:\\Users', 'plain/name'])
      expect(isLocalPath(text, 'linux'), text).toBe(false);
    for (const text of ['C:\\Users\\me', 'c:/Users', '\\\\server\\share'])
      expect(isLocalPath(text, 'win32'), text).toBe(true);
    expect(isLocalPath('Photos:/2024', 'win32')).toBe(false);
  });
});

describe('skyfold cp / mv / transfers', () => {
  let base: string;
  const home = () => path.join(base, 'home');
  const backup = () => path.join(base, 'backup');
  const cli = (...args: string[]) =>
    runCliAsUser(args, { base, dataDir: path.join(base, 'data'), env: { HOME: path.join(base, 'plain') } });

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-transfers-'));
    await write(path.join(home(), 'Photos', 'a.jpg'), 'photo a');
    await write(path.join(home(), 'Photos', 'trip', 'b.jpg'), 'photo b, a bit longer');
    await write(path.join(home(), 'Photos', 'trip', 'deep', 'c.txt'), 'notes from the trip');
    await write(path.join(backup(), 'old.txt'), 'old');
    await write(path.join(base, 'plain', 'note.txt'), 'a note on this computer');
    await fs.mkdir(path.join(base, 'out'));
    for (const name of ['home', 'backup']) {
      const added = await cli('accounts', 'add', 'local', path.join(base, name), '--name', name);
      expect(added.status, added.stderr).toBe(0);
    }
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('copies a file and a folder tree between two accounts, verified, and leaves the source intact', async () => {
    const result = await cli('cp', 'home:/Photos/a.jpg', 'home:/Photos/trip', 'backup:/', '--json');
    expect(result.status, result.stderr).toBe(0);
    const [summary, ...more] = jsonLines<Summary>(result.stdout);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      op: 'copy',
      state: 'finished',
      files: { done: 3, skipped: 0, failed: 0 },
      folders: 2,
      bytes: 'photo a'.length + 'photo b, a bit longer'.length + 'notes from the trip'.length,
      renamed: [],
      refused: [],
      failures: [],
      destination: 'backup:/',
    });
    expect(summary!.batchId).toMatch(/\S/);

    expect(await tree(backup())).toEqual([
      'a.jpg',
      'old.txt',
      'trip/',
      'trip/b.jpg',
      'trip/deep/',
      'trip/deep/c.txt',
    ]);
    const pairs = [
      ['Photos/a.jpg', 'a.jpg'],
      ['Photos/trip/b.jpg', 'trip/b.jpg'],
      ['Photos/trip/deep/c.txt', 'trip/deep/c.txt'],
    ] as const;
    for (const [from, to] of pairs) {
      const source = await sha256(path.join(home(), from));
      expect(await sha256(path.join(backup(), to))).toBe(source);
      const verified = summary!.verified.find((v) => v.dest === path.basename(to));
      expect(verified).toMatchObject({ src: path.basename(from), sha256: source });
      expect(verified!.compared).toContainEqual({ type: 'sha256', value: source });
    }
    expect(await tree(path.join(home(), 'Photos'))).toEqual([
      'a.jpg',
      'trip/',
      'trip/b.jpg',
      'trip/deep/',
      'trip/deep/c.txt',
    ]);

    // The destination's index is brought up to date: ls shows the copies at once.
    const listed = await cli('ls', 'backup:/trip', '--json');
    expect(jsonLines<{ name: string }>(listed.stdout).map((e) => e.name)).toEqual(['deep', 'b.jpg']);
  });

  it('reports a copy in words', async () => {
    const result = await cli('cp', 'home:/Photos', 'backup:');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Copied 3 files and 3 folders \(\d+ B\) to backup:\/, all verified {2}\[\S+\]\n$/,
    );
    expect(result.stderr).toBe('');
  });

  it('moves: the destination has everything, the source goes to its account trash', async () => {
    const result = await cli('mv', 'home:/Photos/trip', 'home:/Photos/a.jpg', 'backup:/', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(jsonLines<Summary>(result.stdout)).toMatchObject([
      { op: 'move', state: 'finished', files: { done: 3, failed: 0 }, failures: [] },
    ]);
    expect(await tree(backup())).toEqual([
      'a.jpg',
      'old.txt',
      'trip/',
      'trip/b.jpg',
      'trip/deep/',
      'trip/deep/c.txt',
    ]);
    expect(await fs.readFile(path.join(backup(), 'trip', 'deep', 'c.txt'), 'utf8')).toBe(
      'notes from the trip',
    );
    expect(await tree(path.join(home(), 'Photos'))).toEqual([]);
    const trashed = await tree(path.join(home(), '.skyfold-trash'));
    expect(trashed.some((name) => name.endsWith('a.jpg'))).toBe(true);
    expect(trashed.some((name) => name.endsWith('c.txt'))).toBe(true);

    // Both indexes follow.
    const source = await cli('ls', 'home:/Photos', '--json');
    expect(source.stdout.trim()).toBe('');
    const gone = await cli('ls', 'home:/Photos/trip');
    expect(gone.status).toBe(1);
  });

  it('copies from a plain local path into an account, and from an account to a plain local folder', async () => {
    const inward = await cli('cp', './plain/note.txt', 'backup:/', '--json');
    expect(inward.status, inward.stderr).toBe(0);
    expect(jsonLines<Summary>(inward.stdout)).toMatchObject([
      { files: { done: 1 }, destination: 'backup:/' },
    ]);
    expect(await fs.readFile(path.join(backup(), 'note.txt'), 'utf8')).toBe('a note on this computer');
    expect(await exists(path.join(base, 'plain', 'note.txt'))).toBe(true);

    const outward = await cli('cp', 'home:/Photos/trip', './out', '--json');
    expect(outward.status, outward.stderr).toBe(0);
    expect(jsonLines<Summary>(outward.stdout)).toMatchObject([
      { files: { done: 2 }, destination: path.join(base, 'out') },
    ]);
    expect(await tree(path.join(base, 'out'))).toEqual([
      'trip/',
      'trip/b.jpg',
      'trip/deep/',
      'trip/deep/c.txt',
    ]);

    // `~` is the home folder; sources from different places make one batch each.
    const mixed = await cli('cp', '~/note.txt', 'home:/Photos/a.jpg', path.join(base, 'out'), '--json');
    expect(mixed.status, mixed.stderr).toBe(0);
    const batches = jsonLines<Summary>(mixed.stdout);
    expect(batches).toHaveLength(2);
    expect(batches.map((b) => b.verified.map((v) => v.src))).toEqual([['note.txt'], ['a.jpg']]);
    expect(await fs.readFile(path.join(base, 'out', 'note.txt'), 'utf8')).toBe('a note on this computer');
    expect(await fs.readFile(path.join(base, 'out', 'a.jpg'), 'utf8')).toBe('photo a');
  });

  describe('--on-conflict on a name taken at the destination', () => {
    beforeEach(async () => {
      await fs.writeFile(path.join(backup(), 'a.jpg'), 'an older a');
    });

    it('skip leaves the existing file alone', async () => {
      const result = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--on-conflict', 'skip', '--json');
      expect(result.status, result.stderr).toBe(0);
      const [summary] = jsonLines<Summary>(result.stdout);
      expect(summary).toMatchObject({ files: { done: 0, skipped: 1, failed: 0 }, verified: [] });
      expect(summary!.skipped.map((s) => s.name)).toEqual(['a.jpg']);
      expect(await fs.readFile(path.join(backup(), 'a.jpg'), 'utf8')).toBe('an older a');
      const text = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--on-conflict', 'skip');
      expect(text.stdout).toContain('  skipped  a.jpg (');
    });

    it('replace overwrites it', async () => {
      const result = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--on-conflict', 'replace', '--json');
      expect(result.status, result.stderr).toBe(0);
      expect(jsonLines<Summary>(result.stdout)).toMatchObject([{ files: { done: 1 }, renamed: [] }]);
      expect(await fs.readFile(path.join(backup(), 'a.jpg'), 'utf8')).toBe('photo a');
      expect((await tree(backup())).filter((name) => name.includes('a'))).toEqual(['a.jpg']);
    });

    it('rename (the default) keeps both under a new name', async () => {
      const result = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--json');
      expect(result.status, result.stderr).toBe(0);
      const [summary] = jsonLines<Summary>(result.stdout);
      expect(summary!.renamed).toHaveLength(1);
      const { from, to } = summary!.renamed[0]!;
      expect(from).toBe('a.jpg');
      expect(to).not.toBe('a.jpg');
      expect(await fs.readFile(path.join(backup(), 'a.jpg'), 'utf8')).toBe('an older a');
      expect(await fs.readFile(path.join(backup(), to), 'utf8')).toBe('photo a');
      const text = await cli('cp', 'home:/Photos/a.jpg', 'backup:/');
      expect(text.stdout).toMatch(/\n {2}renamed {2}a\.jpg -> \S+/);
    });

    it('refuses an unknown policy as a usage error', async () => {
      const result = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--on-conflict', 'merge');
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/Allowed choices are rename, replace, skip/);
    });
  });

  it('fails cleanly on a missing source, a destination that is not a folder, an unknown account', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['cp', 'home:/Photos/nope.jpg', 'backup:/'], /^skyfold: .*nope\.jpg/],
      [['cp', './plain/nope.txt', 'backup:/'], /^skyfold: .*nope\.txt: no such file or folder/],
      [
        ['cp', 'home:/Photos/a.jpg', 'home:/Photos/trip/b.jpg'],
        /^skyfold: home:\/Photos\/trip\/b\.jpg is not a folder/,
      ],
      [['cp', 'home:/Photos/a.jpg', './plain/note.txt'], /^skyfold: .*note\.txt is not a folder/],
      [['cp', 'home:/Photos/a.jpg', './missing'], /^skyfold: .*missing: no such folder/],
      [['mv', 'nobody:/x', 'backup:/'], /^skyfold: no account named "nobody"/],
      [['cp', 'home:/Photos/a.jpg', 'nobody:/'], /^skyfold: no account named "nobody"/],
      [['mv', 'home:', 'backup:/'], /^skyfold: home: the root of an account cannot be moved/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    }
    // Nothing was planned, and the sources are intact.
    const listed = await cli('transfers', 'list', '--json');
    expect(listed.stdout).toBe('');
    expect(await tree(path.join(home(), 'Photos'))).toHaveLength(5);

    const usage = await cli('cp', 'home:/Photos/a.jpg');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/expected SRC\.\.\. DST/);
  });

  it('lists finished batches, and resume with nothing to do exits 0', async () => {
    const empty = await cli('transfers');
    expect(empty.status, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('No transfers yet.\n');

    const copied = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--json');
    const [summary] = jsonLines<Summary>(copied.stdout);
    const listed = await cli('transfers', 'list', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect(jsonLines(listed.stdout)).toEqual([
      {
        batchId: summary!.batchId,
        op: 'copy',
        state: 'finished',
        destination: 'backup:/',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        done: 1,
        skipped: 0,
        failed: 0,
        pending: 0,
        paused: 0,
        bytes: 'photo a'.length,
      },
    ]);
    const text = await cli('transfers');
    expect(text.stdout).toMatch(/^ID +OP +STATE +DONE +FAILED +OPEN +PAUSED +CREATED +DESTINATION\n/);
    expect(text.stdout).toContain(summary!.batchId);

    const resumed = await cli('transfers', 'resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe('Nothing to resume.\n');
    const json = await cli('transfers', 'resume', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout).toBe('');
  });

  describe('queue control and progress', () => {
    /** A fake terminal that keeps what is drawn on it. */
    const terminal = () => {
      let drawn = '';
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          drawn += chunk.toString();
          callback();
        },
      });
      return { stream: Object.assign(stream, { isTTY: true, columns: 120 }), drawn: () => drawn };
    };
    const big = randomBytes(3 * 1024 * 1024);

    beforeEach(async () => {
      await fs.writeFile(path.join(home(), 'Photos', 'big.bin'), big);
      await cli('sync');
    });

    it('draws a live progress bar on a terminal, and none with --json or without a terminal', async () => {
      const screen = terminal();
      const shown = await runCliAsUser(['cp', 'home:/Photos/big.bin', 'backup:/', '--bwlimit', '2M'], {
        base,
        dataDir: path.join(base, 'data'),
        env: { HOME: path.join(base, 'plain') },
        progressStream: screen.stream,
      });
      expect(shown.status, shown.stderr).toBe(0);
      expect(screen.drawn()).toMatch(
        /\d+% \| [01]\/1 files \| [\d.]+ [KM]?B of 3\.1 MB \| [\d.]+ [KM]?B\/s \| ETA/,
      );
      expect(shown.stdout).not.toMatch(/%/);

      const quiet = terminal();
      const json = await runCliAsUser(['cp', 'home:/Photos/a.jpg', 'backup:/', '--json'], {
        base,
        dataDir: path.join(base, 'data'),
        env: { HOME: path.join(base, 'plain') },
        progressStream: quiet.stream,
      });
      expect(json.status, json.stderr).toBe(0);
      expect(quiet.drawn()).toBe('');

      const bad = await cli('cp', 'home:/Photos/a.jpg', 'backup:/', '--bwlimit', 'fast');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/"fast" is not a rate/);
    });

    it('pauses a running cp from another command, resumes it to the end, and cancels another', async () => {
      const running = cli('cp', 'home:/Photos/big.bin', 'backup:/', '--bwlimit', '256K', '--json');
      await expect
        .poll(async () => jsonLines((await cli('transfers', 'list', '--json')).stdout).length)
        .toBe(1);
      const [listed] = jsonLines<{ batchId: string }>((await cli('transfers', 'list', '--json')).stdout);
      const paused = await cli('transfers', 'pause', listed!.batchId.slice(0, 8), '--json');
      expect(paused.status, paused.stderr).toBe(0);
      expect(jsonLines(paused.stdout)).toEqual([
        expect.objectContaining({ batchId: listed!.batchId, paused: 1 }),
      ]);
      // The cp sees its batch paused, and says so: exit 3, the file not there yet.
      const stopped = await running;
      expect(stopped.status).toBe(3);
      expect(await exists(path.join(backup(), 'big.bin'))).toBe(false);

      const resumed = await cli('transfers', 'resume', '--json');
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(jsonLines<Summary>(resumed.stdout)).toEqual([
        expect.objectContaining({ batchId: listed!.batchId, state: 'finished' }),
      ]);
      expect(await sha256(path.join(backup(), 'big.bin'))).toBe(
        createHash('sha256').update(big).digest('hex'),
      );

      await fs.mkdir(path.join(backup(), 'Photos2'));
      await cli('sync', 'backup');
      const again = cli('mv', 'home:/Photos/big.bin', 'backup:/Photos2', '--bwlimit', '256K', '--json');
      await expect
        .poll(async () => jsonLines((await cli('transfers', 'list', '--json')).stdout).length)
        .toBe(2);
      const cancelled = await cli('transfers', 'cancel', '--json');
      expect(cancelled.status, cancelled.stderr).toBe(0);
      await again;
      const [newest] = jsonLines<{ state: string; op: string }>(
        (await cli('transfers', 'list', '--json')).stdout,
      );
      expect(newest).toMatchObject({ op: 'move', state: 'cancelled' });
      expect(await exists(path.join(backup(), 'Photos2', 'big.bin'))).toBe(false);
      expect(await sha256(path.join(home(), 'Photos', 'big.bin'))).toBe(
        createHash('sha256').update(big).digest('hex'),
      );
    });

    it('shows and sets the bandwidth limit and the transfers at once', async () => {
      expect((await cli('transfers', 'limit')).stdout).toBe('No bandwidth limit.\nTransfers at once: 6\n');
      expect((await cli('transfers', 'limit', '2M')).stdout).toBe(
        'Bandwidth limit: 2.1 MB/s\nTransfers at once: 6\n',
      );
      expect((await cli('transfers', 'limit', '--concurrency', '3')).stdout).toBe(
        'Bandwidth limit: 2.1 MB/s\nTransfers at once: 3\n',
      );
      expect(jsonLines((await cli('transfers', 'limit', '--json')).stdout)).toEqual([
        { bandwidthLimit: 2097152, concurrency: 3 },
      ]);
      expect((await cli('transfers', 'limit', 'off', '--concurrency', 'default')).stdout).toBe(
        'No bandwidth limit.\nTransfers at once: 6\n',
      );
      expect((await cli('transfers', 'limit', '12')).status).toBe(2); // below 1K: a usage error
      expect((await cli('transfers', 'limit', '--concurrency', '17')).status).toBe(2);
    });
  });
});
