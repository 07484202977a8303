/**
 * The transfer engine killed (SIGKILL) at random moments while it moves files, then let finish
 * (issue 7, "Reliability"), round after round (each round a fresh set of files and journal; two
 * kills spread over a calibrated run, then a run to the end): whenever it is killed, every file is
 * still at the source or whole at the destination, never lost; in the end every file is at the
 * destination exactly once, with the bytes it had, and the source is empty. Each run is a fresh
 * process over the round's journal. At least 50 kills land in all (36 + 14 asserted; 70 of 70 in a
 * typical run: a late kill may find the run already over, and then more rounds run, up to 40 and
 * 16); the issue asks for at least 50.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox/emulator';
import { DropboxProvider } from '../../main/core/providers/dropbox/dropbox-provider';
import { readAll } from '../conformance/provider-suite';

const child = path.join(import.meta.dirname, 'crash-child.ts');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Files of several sizes (a few large enough for a kill to land mid-stream), by name, with their hash. */
async function makeFiles(box: string, count: number): Promise<Map<string, string>> {
  await fs.mkdir(box, { recursive: true });
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(i % 5 === 0 ? 1_500_000 + i * 1000 : 1000 + i * 37);
    const name = `file ${String(i).padStart(2, '0')}.bin`;
    await fs.writeFile(path.join(box, name), bytes);
    files.set(name, sha(bytes));
  }
  return files;
}

/** Runs the engine process; kills it after `killAfterMs` unless it ended first. Resolves how it ended. */
function runEngine(env: NodeJS.ProcessEnv, killAfterMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const engine = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    engine.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === null ? undefined : setTimeout(() => engine.kill('SIGKILL'), killAfterMs);
    engine.on('error', reject);
    engine.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`the engine exited with ${code}: ${stderr}`));
    });
  });
}

/**
 * A kill time spread over a whole run (start-up included): `run` picks a point of `span`. A round's
 * second run has less left to do (the first moved some files), so its kills come sooner.
 */
const killTime = (span: number, run: number, attempt: number) =>
  Math.round(span * (0.2 + ((run * 0.618) % 1) * 0.7) * (attempt === 0 ? 1 : 0.6));

/** How long an engine process takes to move a fresh set of files, unkilled (the span kills spread over). */
async function calibrate(env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  expect(await runEngine(env, null)).toBe('finished');
  return performance.now() - start;
}

async function localFiles(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await fs.readdir(folder).catch(() => [])) {
    if (name.startsWith('.skyfold')) continue;
    files.set(name, sha(await fs.readFile(path.join(folder, name))));
  }
  return files;
}

/** Every file is at the source, or whole at the destination (or both, between copy and trash). */
function expectNothingLost(
  original: Map<string, string>,
  atSource: Map<string, string>,
  atDest: Map<string, string>,
): void {
  for (const [name, hash] of atDest) {
    expect(original.get(name), `unexpected or numbered file "${name}" at the destination`).toBeDefined();
    expect(hash, `"${name}" at the destination is not whole`).toBe(original.get(name));
  }
  for (const [name, hash] of original) {
    expect(atSource.get(name) === hash || atDest.get(name) === hash, `"${name}" is lost`).toBe(true);
  }
}

describe('transfer engine killed at random moments', () => {
  let base: string;
  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-crash-'));
  });
  afterAll(() => fs.rm(base, { recursive: true, force: true }));

  it('local -> local: 25 rounds, two kills each; nothing lost at any kill, everything moved exactly once', async () => {
    const round = async (n: number) => {
      const dir = path.join(base, 'local', String(n));
      await fs.mkdir(path.join(dir, 'dest'), { recursive: true });
      const original = await makeFiles(path.join(dir, 'src', 'box'), 8);
      const env = {
        STATE_DB: path.join(dir, 'state.db'),
        SRC: path.join(dir, 'src'),
        DEST: path.join(dir, 'dest'),
      };
      return { dir, original, env };
    };
    // Twice: the first process also warms the TypeScript loader's cache.
    const span = Math.min(await calibrate((await round(-2)).env), await calibrate((await round(-1)).env));
    let kills = 0;
    // 25 rounds at least, more while kills are missing (on a loaded machine a run may end before
    // its kill): up to 40.
    for (let n = 0; n < 25 || (kills < 36 && n < 40); n++) {
      const { dir, original, env } = await round(n);
      for (const attempt of [0, 1]) {
        if ((await runEngine(env, killTime(span, n * 2 + attempt, attempt))) === 'killed') kills++;
        expectNothingLost(
          original,
          await localFiles(path.join(dir, 'src', 'box')),
          await localFiles(path.join(dir, 'dest')),
        );
      }
      expect(await runEngine(env, null)).toBe('finished');
      expect(await localFiles(path.join(dir, 'dest'))).toEqual(original);
      expect(await localFiles(path.join(dir, 'src', 'box'))).toEqual(new Map());
    }
    expect(kills).toBeGreaterThanOrEqual(36);
  }, 300_000);

  describe('local -> Dropbox (emulator)', () => {
    let emulator: DropboxEmulator;
    beforeAll(async () => {
      emulator = await startDropboxEmulator({ seed: 'empty', tokenLifetimeSeconds: 24 * 3600 });
    });
    afterAll(() => emulator.close());

    it('10 rounds, two kills each, mid-upload: nothing lost, no duplicate, all verified at Dropbox', async () => {
      const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
      const dropbox = await DropboxProvider.connect({
        apiBaseUrl: emulator.url,
        tokens: { getAccessToken: async () => token, invalidate: () => undefined },
      });
      const remoteFiles = async (folderId: string) => {
        const files = new Map<string, string>();
        for await (const page of dropbox.list(folderId)) {
          for (const item of page) files.set(item.name, sha(await readAll(await dropbox.read(item.id))));
        }
        return files;
      };
      const round = async (n: number) => {
        const dir = path.join(base, 'dropbox', String(n));
        const original = await makeFiles(path.join(dir, 'src', 'box'), 6);
        const target = await dropbox.mkdir(dropbox.rootId, `round ${n}`, { conflict: 'fail' });
        const env = {
          STATE_DB: path.join(dir, 'state.db'),
          SRC: path.join(dir, 'src'),
          DROPBOX_URL: emulator.url,
          DROPBOX_TOKEN: token,
          DEST_FOLDER: target.id,
        };
        return { dir, original, env, target: target.id };
      };
      const span = Math.min(await calibrate((await round(-2)).env), await calibrate((await round(-1)).env));
      let kills = 0;
      for (let n = 0; n < 10 || (kills < 14 && n < 16); n++) {
        const { dir, original, env, target } = await round(n);
        for (const attempt of [0, 1]) {
          if ((await runEngine(env, killTime(span, n * 2 + attempt, attempt))) === 'killed') kills++;
          expectNothingLost(
            original,
            await localFiles(path.join(dir, 'src', 'box')),
            await remoteFiles(target),
          );
        }
        expect(await runEngine(env, null)).toBe('finished');
        expect(await remoteFiles(target)).toEqual(original);
        expect(await localFiles(path.join(dir, 'src', 'box'))).toEqual(new Map());
      }
      expect(kills).toBeGreaterThanOrEqual(14);
    }, 300_000);
  });
});
