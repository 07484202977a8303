/**
 * Transfer figures 1-3 (issue 7) between two emulated clouds, Dropbox -> OneDrive, in this process:
 *
 * 1. One 1 GiB file copied by the engine (plan, journal, streamed, every byte hashed: sha256 +
 *    Dropbox content_hash checked at the source, QuickXorHash at the destination), vs. the baseline
 *    pipe: the same provider calls with nothing in between (`destination.write(source.read())`, no
 *    hashing of ours, no journal). Goal: >= 70% of the baseline's throughput.
 * 2. The growth of this process's resident memory during the engine's copy (sampled every 50 ms).
 *    Goal: <= 100 MB.
 * 3. 2,000 files of 4 KiB: files per second through the engine (6 at once) vs. the baseline pipe
 *    run 6 at once. Goal: >= 50% of the baseline.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { startDropboxEmulator } from '../emulators/dropbox/emulator';
import { startOnedriveEmulator } from '../emulators/onedrive/emulator';
import { openDatabase } from '../main/core/index/database';
import { stateMigrations } from '../main/core/index/migrations';
import { DropboxProvider } from '../main/core/providers/dropbox/dropbox-provider';
import { OnedriveProvider } from '../main/core/providers/onedrive/onedrive-provider';
import { Pacer } from '../main/core/providers/pacer';
import type { AccessTokenSource, Provider, ProviderItem } from '../main/core/providers/types';
import { TransferEngine } from '../main/core/transfers/engine';
import { TransferJournal } from '../main/core/transfers/journal';
import { planBatch } from '../main/core/transfers/planner';

export interface CopyFigures {
  bigMiBs: number;
  bigBaselineMiBs: number;
  rssGrowthMiB: number;
  smallFilesPerSecond: number;
  smallBaselinePerSecond: number;
}

const big = 1024 * 1024 * 1024;
const smallCount = 2000;
const smallSize = 4096;
const concurrency = 6;

function tokens(emulator: {
  users: readonly string[];
  admin: { issueTokens(user: string): { access_token: string } };
}): AccessTokenSource {
  const user = emulator.users[0]!;
  let token = emulator.admin.issueTokens(user).access_token;
  return {
    getAccessToken: async () => token,
    invalidate: (rejected) => {
      if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
    },
  };
}

const pacer = () => new Pacer({ maxConcurrency: 8, maxRetries: 5, baseDelayMs: 10, maxDelayMs: 200 });

/** A stream of `size` bytes made of one repeated random 1 MiB block (cheap to produce). */
function bytes(size: number): Readable {
  const block = randomBytes(1024 * 1024);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const piece = block.subarray(0, Math.min(block.length, size - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

export async function measureCopies(): Promise<CopyFigures> {
  const dropboxEmulator = await startDropboxEmulator({ seed: 'empty' });
  const onedriveEmulator = await startOnedriveEmulator({ seed: 'empty' });
  try {
    const source = await DropboxProvider.connect({
      apiBaseUrl: dropboxEmulator.url,
      tokens: tokens(dropboxEmulator),
      pacer: pacer(),
    });
    const destination = await OnedriveProvider.connect({
      apiBaseUrl: onedriveEmulator.url,
      tokens: tokens(onedriveEmulator),
      pacer: pacer(),
    });
    const journal = new TransferJournal(
      openDatabase(':memory:', { migrations: stateMigrations, synchronous: 'FULL' }),
    );
    const endpoints = new Map<string, Provider>([
      ['{"account":"dropbox"}', source],
      ['{"account":"onedrive"}', destination],
    ]);
    const engine = new TransferEngine({
      journal,
      provider: async (endpoint) => endpoints.get(endpoint)!,
      maxActive: () => concurrency,
    });
    const copyWithEngine = async (items: readonly ProviderItem[], folderId: string) => {
      await planBatch(journal, {
        op: 'copy',
        origin: 'bench',
        source: {
          endpoint: '{"account":"dropbox"}',
          provider: source,
          itemIds: items.map((item) => item.id),
        },
        destination: { endpoint: '{"account":"onedrive"}', provider: destination, folderId },
        conflict: 'rename',
      });
      await engine.runUntilIdle();
    };
    const pipe = async (item: ProviderItem, folderId: string) =>
      destination.write(folderId, item.name, await source.read(item.id), {
        conflict: 'fail',
        size: item.size!,
      });
    const seconds = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return (performance.now() - start) / 1000;
    };

    console.error('transfers: writing the 1 GiB source file...');
    const bigFile = await source.write(source.rootId, 'big.bin', bytes(big), { conflict: 'fail', size: big });
    const baselineFolder = await destination.mkdir(destination.rootId, 'baseline', { conflict: 'fail' });
    const bigBaseline = await seconds(() => pipe(bigFile, baselineFolder.id));
    const engineFolder = await destination.mkdir(destination.rootId, 'engine', { conflict: 'fail' });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const bigEngine = await seconds(() => copyWithEngine([bigFile], engineFolder.id));
    clearInterval(sampler);

    console.error(`transfers: writing ${smallCount} small source files...`);
    const smallFolder = await source.mkdir(source.rootId, 'small', { conflict: 'fail' });
    const smallFiles: ProviderItem[] = [];
    await inParallel(
      Array.from({ length: smallCount }, (_, i) => i),
      concurrency,
      async (i) =>
        smallFiles.push(
          await source.write(smallFolder.id, `f${i}.bin`, bytes(smallSize), {
            conflict: 'fail',
            size: smallSize,
          }),
        ),
    );
    const smallBaselineFolder = await destination.mkdir(destination.rootId, 'small-baseline', {
      conflict: 'fail',
    });
    const smallBaseline = await seconds(() =>
      inParallel(smallFiles, concurrency, (item) => pipe(item, smallBaselineFolder.id)),
    );
    const smallEngineFolder = await destination.mkdir(destination.rootId, 'small-engine', {
      conflict: 'fail',
    });
    const smallEngine = await seconds(() => copyWithEngine(smallFiles, smallEngineFolder.id));
    const failed = journal
      .batches()
      .flatMap((batch) => journal.jobs(batch.id))
      .filter((job) => job.state !== 'done');
    if (failed.length > 0)
      throw new Error(`${failed.length} engine jobs did not finish: ${JSON.stringify(failed[0])}`);

    const mib = 1024 * 1024;
    return {
      bigMiBs: big / mib / bigEngine,
      bigBaselineMiBs: big / mib / bigBaseline,
      rssGrowthMiB: (peak - before) / mib,
      smallFilesPerSecond: smallCount / smallEngine,
      smallBaselinePerSecond: smallCount / smallBaseline,
    };
  } finally {
    await dropboxEmulator.close();
    await onedriveEmulator.close();
  }
}
