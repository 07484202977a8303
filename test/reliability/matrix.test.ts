/**
 * The transfer reliability matrix (issue 7; shared/reference/security-and-safety.md, the transfer
 * rows; docs/design/transfers.md §6.1), against every cloud emulator: real transfers through the
 * TransferEngine, local folder <-> cloud, while the emulator injects faults on the requests that
 * carry the bytes (emulators/README.md, "Fault spec"). Every row ends by comparing bytes.
 *
 * - Retry-After: a 429 on an upload or download call; the job ends done and no request reaches the
 *   account before the Retry-After has passed.
 * - 5xx: 500/503 answers are retried; the job ends done with the right bytes.
 * - Resets and truncated bodies, mid-download (continued with a Range read) and mid-upload.
 * - Flipped bytes, downloaded or uploaded: caught by verification, no bad file is left at the
 *   destination, the retry ends done; a flip on every attempt fails the job clearly, source kept.
 * - An access token expiring mid-batch (12 files): ONE refresh at the token endpoint, all done.
 * - A revoked grant (refresh: invalid_grant): jobs paused `needs_reconnect`, never failed, no refresh
 *   loop, sources untouched; after a reconnect they finish.
 *   Both through the admin API (`expireTokens`, `revokeTokens`) when the 4th byte-carrying request
 *   arrives: the `expire-token` fault cannot reach them, as Drive's session chunks and OneDrive's
 *   upload URLs carry no access token.
 *
 * Moves check at the moment the engine trashes a source that the destination already holds the
 * file with the right hash (the source stays until the destination is verified).
 *
 * Time: the engine's own retry pauses run on a virtual clock (they would only slow the rows down),
 * except in the Retry-After row where every wait is real. Requests are timed where the emulator
 * receives them (matrix-support.ts `ServerLog`). Lower bounds on time only.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokensFromResponse } from '../../main/core/auth';
import { LocalProvider } from '../../main/core/providers/local/local-provider';
import type { Provider } from '../../main/core/providers/types';
import type { TransferOp } from '../../main/core/transfers/journal';
import {
  clientId,
  CLOUD,
  cloudHashes,
  cloudNames,
  connect,
  hashesOf,
  hashOf,
  LOCAL,
  localEntries,
  localHashes,
  makeFiles,
  nativeHash,
  observer,
  plan,
  routes,
  sha256,
  startCloud,
  uploadFiles,
  watchTrash,
  writeLocalFiles,
  type CloudName,
  type Connection,
  type Files,
  type MatrixEmulator,
  type Run,
  ServerLog,
} from './matrix-support';

/** About 1 MB: several upload requests on every cloud (chunks of 256/320 KiB). */
const oneFileSize = 1024 * 1024 + 12_345;

describe.each(cloudNames)('transfer reliability matrix: %s', (name: CloudName) => {
  let emulator: MatrixEmulator;
  /** Looks at the cloud from outside the engine. */
  let cloud: Provider;
  /** The observer's tokens: its requests are not the engine's. */
  let observerTokens: ReadonlySet<string>;
  let dir: string;
  let runs: Run[] = [];
  let logs: ServerLog[] = [];
  let rows = 0;
  /** Broken promises found while the engine ran (a trashed source whose copy was not there...). */
  let violations: string[];

  beforeAll(async () => {
    emulator = await startCloud(name);
    ({ provider: cloud, tokens: observerTokens } = await observer(name, emulator));
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), `skyfold-matrix-${name}-`));
    violations = [];
    emulator.admin.clearFaults();
  });
  afterEach(async () => {
    emulator.admin.clearFaults();
    for (const run of runs) run.db.close();
    for (const log of logs) log.close();
    runs = [];
    logs = [];
    await fsp.rm(dir, { recursive: true, force: true });
  });

  interface Transfer {
    run: Run;
    connection: Connection;
    files: Files;
    /** The cloud folder of the row (the destination of uploads, the source of downloads). */
    folderId: string;
    /** The local folder of the row (the source of uploads, the destination of downloads). */
    localDir: string;
    /** Cloud item ids of a download's sources. */
    sourceIds: string[];
    /** What the emulator received from the engine while it ran. */
    log: ServerLog;
    /** How often each fault rule fired (after `go`). */
    fired: number[];
    /** Requests to the emulator's token endpoint while the engine ran. */
    tokenRequests(): number;
    /** Runs the engine until nothing can run, with the faults on. */
    go(): Promise<void>;
  }

  /** The expected native hash of a file, checked against what the cloud reports. */
  async function cloudCopyMatches(folderId: string, fileName: string, bytes: Buffer): Promise<void> {
    const type = nativeHash[name];
    const found = (await cloud.findChildren!(folderId, fileName)).filter((item) => item.kind === 'file');
    if (found.length !== 1) throw new Error(`"${fileName}": ${found.length} copies at the destination`);
    const reported = found[0]!.hashes[type] ?? (await cloud.hash(found[0]!.id, type));
    if (reported !== hashOf(bytes, type))
      throw new Error(`"${fileName}" was trashed at the source while its copy has another ${type}`);
  }

  /** Local files -> a new cloud folder. */
  async function upload(op: TransferOp, files: Files, faults: string, clock: 'virtual' | 'real') {
    const localDir = path.join(dir, 'local');
    await writeLocalFiles(localDir, files);
    const local = await LocalProvider.open(localDir);
    const folder = await cloud.mkdir(cloud.rootId, `row ${++rows} ${op}`, { conflict: 'fail' });
    const connection = await connect(name, emulator);
    const itemIds: string[] = [];
    for await (const page of local.list(local.rootId)) itemIds.push(...page.map((item) => item.id));
    const source = watchTrash(
      local,
      async (id) => {
        const fileName = path.basename(id);
        await cloudCopyMatches(folder.id, fileName, files.get(fileName)!);
      },
      violations,
    );
    const run = await plan({
      dir,
      op,
      from: { endpoint: LOCAL, provider: source, itemIds },
      to: { endpoint: CLOUD, provider: connection.provider, folderId: folder.id },
      clock,
    });
    runs.push(run);
    return transfer(run, connection, files, folder.id, localDir, [], faults);
  }

  /** Files in a new cloud folder -> a local folder. */
  async function download(op: TransferOp, files: Files, faults: string, clock: 'virtual' | 'real') {
    const localDir = path.join(dir, 'local');
    await fsp.mkdir(localDir, { recursive: true });
    const local = await LocalProvider.open(localDir);
    const folder = await cloud.mkdir(cloud.rootId, `row ${++rows} ${op}`, { conflict: 'fail' });
    const sourceIds = await uploadFiles(cloud, folder.id, files);
    const names = new Map(sourceIds.map((id, i) => [id, [...files.keys()][i]!]));
    const connection = await connect(name, emulator);
    const source = watchTrash(
      connection.provider,
      async (id) => {
        const fileName = names.get(id)!;
        const copy = await fsp.readFile(path.join(localDir, fileName)).catch(() => null);
        if (copy === null || sha256(copy) !== sha256(files.get(fileName)!))
          throw new Error(`"${fileName}" was trashed at the source before its copy was whole`);
      },
      violations,
    );
    const run = await plan({
      dir,
      op,
      from: { endpoint: CLOUD, provider: source, itemIds: sourceIds },
      to: { endpoint: LOCAL, provider: local, folderId: local.rootId },
      clock,
    });
    runs.push(run);
    return transfer(run, connection, files, folder.id, localDir, sourceIds, faults);
  }

  function transfer(
    run: Run,
    connection: Connection,
    files: Files,
    folderId: string,
    localDir: string,
    sourceIds: string[],
    faults: string,
  ): Transfer {
    const log = new ServerLog(Number(new URL(emulator.url).port), observerTokens);
    logs.push(log);
    const t: Transfer = {
      run,
      connection,
      files,
      folderId,
      localDir,
      sourceIds,
      log,
      fired: [],
      tokenRequests: () => log.entries.filter((entry) => /\/token$/.test(entry.path)).length,
      go: async () => {
        if (faults) emulator.admin.setFaults(faults);
        log.armed = true;
        try {
          await run.engine.runUntilIdle();
        } finally {
          log.armed = false;
          t.fired = emulator.admin.faults().map((rule) => rule.fired);
          emulator.admin.clearFaults();
        }
      },
    };
    return t;
  }

  /** Each file job's name, state and pause reason, by name. */
  const states = (t: Transfer) =>
    t.run
      .jobs()
      .map((job) => [job.srcName, job.state, job.paused] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));

  /** Every job done, the destination holds exactly the files (right bytes), a move left no source. */
  async function expectAllDone(t: Transfer, op: TransferOp, direction: 'upload' | 'download') {
    expect(states(t)).toEqual([...t.files.keys()].sort().map((fileName) => [fileName, 'done', null]));
    const expected = hashesOf(t.files);
    if (direction === 'upload') {
      expect(await cloudHashes(cloud, t.folderId)).toEqual(expected);
      expect(await localHashes(t.localDir)).toEqual(op === 'move' ? new Map() : expected);
    } else {
      expect(await localHashes(t.localDir)).toEqual(expected);
      // Nothing half-written left behind (part files of failed attempts).
      expect((await localEntries(t.localDir)).filter((entry) => entry.includes('part'))).toEqual([]);
      expect(await cloudHashes(cloud, t.folderId)).toEqual(op === 'move' ? new Map() : expected);
    }
    expect(violations).toEqual([]);
  }

  const { upload: uploadRoute, download: downloadRoute, downloadRule } = routes[name];
  const user = () => emulator.users[0]!;

  describe('429 with Retry-After', () => {
    const retryAfterMs = 1000;

    /** The first 429 answered on `route`; no request reached the account before Retry-After passed. */
    function expectRetryAfterHonoured(t: Transfer, route: string) {
      const limited = t.log.matching(route).find((entry) => entry.status === 429);
      expect(limited, `a 429 answered on ${route}`).toBeDefined();
      const later = t.log.entries.filter((entry) => entry.at >= limited!.answeredAt!);
      // The call is made again (not given up), and not one request of the account came sooner.
      expect(t.log.matching(route).filter((entry) => entry.at > limited!.at).length).toBeGreaterThan(0);
      for (const entry of later)
        expect(entry.at - limited!.answeredAt!, `${entry.method} ${entry.path}`).toBeGreaterThanOrEqual(
          retryAfterMs - 5,
        );
    }

    it('on an upload chunk: nothing is sent before Retry-After has passed; the copy ends done', async () => {
      const t = await upload(
        'copy',
        makeFiles('limited upload', 1, () => oneFileSize),
        `rate-limit ${uploadRoute} after=1 times=1 retryAfter=${retryAfterMs / 1000}`,
        'real',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      expectRetryAfterHonoured(t, uploadRoute);
      await expectAllDone(t, 'copy', 'upload');
    });

    it('on a download: nothing is sent before Retry-After has passed; the move ends done', async () => {
      const t = await download(
        'move',
        makeFiles('limited download', 1, () => oneFileSize),
        `rate-limit ${downloadRule} times=1 retryAfter=${retryAfterMs / 1000}`,
        'real',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      expectRetryAfterHonoured(t, downloadRoute);
      await expectAllDone(t, 'move', 'download');
    });
  });

  describe('5xx answers', () => {
    /** The route answered 5xx `times` times, and later succeeded. */
    function expectRetriedAfter5xx(t: Transfer, route: string, times: number) {
      const answers = t.log.matching(route);
      const failures = answers.filter((entry) => (entry.status ?? 0) >= 500);
      expect(failures).toHaveLength(times);
      const lastFailure = failures.at(-1)!;
      expect(
        answers.some((entry) => entry.at > lastFailure.at && (entry.status ?? 0) < 400),
        'a later attempt succeeds',
      ).toBe(true);
    }

    it('503 twice in a row on upload chunks: retried, the move ends done with the same bytes', async () => {
      const t = await upload(
        'move',
        makeFiles('503 upload', 2, (i) => oneFileSize - i * 300_000),
        `error=503 ${uploadRoute} seq=.xx`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([2]);
      expectRetriedAfter5xx(t, uploadRoute, 2);
      await expectAllDone(t, 'move', 'upload');
    });

    it('500 then 503 on downloads: retried, the copy ends done with the same bytes', async () => {
      const t = await download(
        'copy',
        makeFiles('500 download', 2, (i) => oneFileSize - i * 300_000),
        `error=500 ${downloadRule} times=1; error=503 ${downloadRoute} after=2 times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1, 1]);
      expectRetriedAfter5xx(t, downloadRoute, 2);
      await expectAllDone(t, 'copy', 'download');
    });
  });

  describe('connection resets and truncated bodies', () => {
    it('a download body cut short mid-way: continued with a Range read, the move ends done, bytes identical', async () => {
      const t = await download(
        'move',
        makeFiles('truncated download', 1, () => oneFileSize),
        `truncate ${downloadRule} times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      // The rest was asked for from where the cut body stopped, not from the start.
      expect(
        t.log.matching(downloadRoute).some((entry) => /^bytes=[1-9]\d*-/.test(entry.range ?? '')),
        `a Range read after the cut: ${JSON.stringify(t.log.matching(downloadRoute).map((e) => e.range))}`,
      ).toBe(true);
      await expectAllDone(t, 'move', 'download');
    });

    it('a download connection reset before the answer: retried, the copy ends done', async () => {
      const t = await download(
        'copy',
        makeFiles('reset download', 1, () => oneFileSize),
        `reset ${downloadRule} times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      await expectAllDone(t, 'copy', 'download');
    });

    it('an upload cut mid-body by a reset: the move ends done, bytes identical', async () => {
      const t = await upload(
        'move',
        makeFiles('reset upload', 1, () => oneFileSize),
        `reset=100000 ${uploadRoute} after=1 times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      await expectAllDone(t, 'move', 'upload');
    });

    it("an upload chunk's answer truncated (the chunk was stored): the copy ends done, no twin", async () => {
      const t = await upload(
        'copy',
        makeFiles('truncated answer', 1, () => oneFileSize),
        `truncate ${uploadRoute} after=1 times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      await expectAllDone(t, 'copy', 'upload');
    });
  });

  describe('flipped bytes', () => {
    /** Records a file at the local destination whose bytes are not the source's, as requests arrive. */
    function watchLocalDestination(t: Transfer) {
      t.log.onArrival = () => {
        for (const entry of fs.readdirSync(t.localDir)) {
          if (entry.startsWith('.skyfold') || !t.files.has(entry)) continue;
          const bytes = fs.readFileSync(path.join(t.localDir, entry));
          if (sha256(bytes) !== sha256(t.files.get(entry)!))
            violations.push(`a corrupted "${entry}" sits at the destination`);
        }
      };
    }

    it('in a download, once: caught before the file is placed, retried, the move ends done', async () => {
      const t = await download(
        'move',
        makeFiles('flipped download', 1, () => oneFileSize),
        `flip=1000 ${downloadRule} times=1`,
        'virtual',
      );
      watchLocalDestination(t);
      await t.go();
      expect(t.fired).toEqual([1]);
      const reads = t.log.matching(downloadRoute).filter((entry) => entry.status === 200);
      expect(reads.length, 'the file was read again').toBeGreaterThanOrEqual(name === 'gdrive' ? 4 : 2);
      await expectAllDone(t, 'move', 'download');
    });

    it('in every download: the move fails clearly, nothing placed, the source untouched', async () => {
      const files = makeFiles('always flipped download', 1, () => oneFileSize);
      const t = await download('move', files, `flip=1000 ${downloadRule}`, 'virtual');
      watchLocalDestination(t);
      await t.go();
      const [job] = t.run.jobs();
      expect(job).toMatchObject({ state: 'failed', paused: null });
      // Why, in words: the bytes read are not the ones the source reports.
      expect(job!.error?.message).toMatch(/always flipped download 00\.bin/);
      expect(job!.error?.message).toMatch(/differ|mismatch|reports/);
      expect(await localHashes(t.localDir)).toEqual(new Map());
      expect((await localEntries(t.localDir)).filter((entry) => entry.includes('part'))).toEqual([]);
      expect(await cloudHashes(cloud, t.folderId)).toEqual(hashesOf(files));
      expect(violations).toEqual([]);
    });

    it('in an upload, once: the bad copy is caught and replaced, the move ends done, no twin', async () => {
      const t = await upload(
        'move',
        makeFiles('flipped upload', 1, () => oneFileSize),
        `flip in=request ${uploadRoute} after=1 times=1`,
        'virtual',
      );
      await t.go();
      expect(t.fired).toEqual([1]);
      // The corrupted bytes were sent again (by the provider's own check or the engine's).
      const sent = t.log.matching(uploadRoute).reduce((sum, entry) => sum + entry.bytes, 0);
      expect(sent, 'bytes uploaded').toBeGreaterThan(oneFileSize);
      // The trash check (expectAllDone: no violations) saw the good copy before the source went.
      await expectAllDone(t, 'move', 'upload');
    });

    it('in every upload: the move fails clearly, no bad copy stays, the source untouched', async () => {
      const files = makeFiles('always flipped upload', 1, () => oneFileSize);
      const t = await upload('move', files, `flip in=request ${uploadRoute}`, 'virtual');
      await t.go();
      const [job] = t.run.jobs();
      expect(job).toMatchObject({ state: 'failed', paused: null });
      // Why, in words: what the cloud stored is not what was sent.
      expect(`${job!.error?.message ?? ''} ${job!.note ?? ''}`).toMatch(/differ|mismatch/);
      // Three bad copies fail it (like a failed verification), not the eight attempts of a passing fault.
      expect(job!.verifyFailures).toBe(3);
      expect(job!.error?.message).toMatch(/^3 copies failed verification/);
      expect(await localHashes(t.localDir)).toEqual(hashesOf(files));
      expect(await cloudHashes(cloud, t.folderId)).toEqual(new Map());
      expect(violations).toEqual([]);
    });
  });

  /** Runs `act` when the `n`-th request on `route` arrives (before the emulator handles it). */
  function when(t: Transfer, route: string, n: number, act: () => void) {
    let seen = 0;
    t.log.onArrival = (entry) => {
      if (t.log.matching(route).includes(entry) && ++seen === n) act();
    };
  }

  describe('an access token expiring mid-batch (12 files)', () => {
    const twelve = (prefix: string) => makeFiles(prefix, 12, (i) => 400_000 + i * 25_000);

    /** The expired token was met (401s), and refreshed exactly once, for every job at once. */
    function expectOneRefresh(t: Transfer, before: number) {
      expect(t.log.entries.filter((entry) => entry.status === 401).length).toBeGreaterThanOrEqual(1);
      expect(t.tokenRequests()).toBe(1);
      // The emulator's own request log agrees.
      const { count, recent } = emulator.requests();
      expect(recent.slice(-(count - before)).filter((request) => /\/token$/.test(request))).toHaveLength(1);
    }

    it('uploads (copy): exactly one refresh at the token endpoint, every copy done', async () => {
      const t = await upload('copy', twelve('expiry upload'), '', 'virtual');
      when(t, uploadRoute, 4, () => emulator.admin.expireTokens(user()));
      const before = emulator.requests().count;
      await t.go();
      expectOneRefresh(t, before);
      await expectAllDone(t, 'copy', 'upload');
    });

    it('downloads (move): exactly one refresh at the token endpoint, every move done', async () => {
      const t = await download('move', twelve('expiry download'), '', 'virtual');
      when(t, downloadRoute, 4, () => emulator.admin.expireTokens(user()));
      const before = emulator.requests().count;
      await t.go();
      expectOneRefresh(t, before);
      await expectAllDone(t, 'move', 'download');
    });
  });

  describe('a revoked grant (refresh answers invalid_grant) mid-batch', () => {
    const twelve = (prefix: string) => makeFiles(prefix, 12, (i) => 400_000 + i * 25_000);

    const revokeAt = (t: Transfer, route: string, n: number) =>
      when(t, route, n, () => emulator.admin.revokeTokens(user()));

    /** Jobs not done are paused needs_reconnect (none failed, at least one paused); one refresh tried. */
    function expectPausedForReconnect(t: Transfer) {
      const jobs = t.run.jobs();
      expect(jobs.filter((job) => job.state === 'failed')).toEqual([]);
      const open = jobs.filter((job) => job.state !== 'done');
      expect(open.length, 'jobs left when the grant died').toBeGreaterThan(0);
      for (const job of open) expect([job.srcName, job.paused]).toEqual([job.srcName, 'needs_reconnect']);
      expect(t.tokenRequests(), 'refresh attempts (no retry loop)').toBe(1);
      expect(t.connection.authChanges.map((change) => change.state)).toEqual(['needs_reconnect']);
      return { done: jobs.filter((job) => job.state === 'done'), open };
    }

    async function reconnectAndFinish(t: Transfer) {
      await t.connection.tokens.replaceTokens(
        tokensFromResponse(emulator.admin.issueTokens(user(), { clientId }), Date.now()),
      );
      expect(t.connection.authChanges.map((change) => change.state)).toEqual(['needs_reconnect', 'ok']);
      expect(t.run.journal.resumeJobs({ batchId: t.run.batchId })).toBeGreaterThan(0);
      await t.run.engine.runUntilIdle();
    }

    it('uploads (move): paused needs_reconnect, never failed; the sources of open jobs untouched', async () => {
      const files = twelve('revoked upload');
      const t = await upload('move', files, '', 'virtual');
      revokeAt(t, uploadRoute, 4);
      await t.go();
      const { open } = expectPausedForReconnect(t);
      const local = await localHashes(t.localDir);
      for (const job of open) expect(local.get(job.srcName)).toBe(sha256(files.get(job.srcName)!));
      // Whatever reached the cloud is whole (a file of a paused job may already be there).
      const there = await cloudHashes(cloud, t.folderId);
      for (const [fileName, hash] of there) expect(hash).toBe(sha256(files.get(fileName)!));
      expect(violations).toEqual([]);

      await reconnectAndFinish(t);
      await expectAllDone(t, 'move', 'upload');
    });

    it('downloads (move): paused needs_reconnect, never failed; the sources of open jobs untouched', async () => {
      const files = twelve('revoked download');
      const t = await download('move', files, '', 'virtual');
      revokeAt(t, downloadRoute, 4);
      await t.go();
      const { open } = expectPausedForReconnect(t);
      const remaining = await cloudHashes(cloud, t.folderId);
      for (const job of open) expect(remaining.get(job.srcName)).toBe(sha256(files.get(job.srcName)!));
      const local = await localHashes(t.localDir);
      for (const [fileName, hash] of local) expect(hash).toBe(sha256(files.get(fileName)!));
      expect(violations).toEqual([]);

      await reconnectAndFinish(t);
      await expectAllDone(t, 'move', 'download');
    });
  });
});
