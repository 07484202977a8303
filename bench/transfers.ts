/**
 * Transfer figures (issue 7), `npm run bench -- transfers`. One JSON line per figure:
 * `{"figure", "value", "unit", "baseline", "ratio", "goal", "pass"}`, baselines measured in this run.
 * Figures 1-3 (cross-cloud copy throughput, memory, many small files): bench/transfer-copy.ts.
 *
 * 4. Hashing on one core: 256 MiB in memory fed in 1 MiB chunks, as a stream delivers them, to the
 *    engine's HashSet with one type each (md5, Dropbox content_hash, QuickXorHash, sha256), and with
 *    the worst real pair's combined set (a Drive file without sha256 to Dropbox: sha256 + md5 +
 *    content_hash). MB/s (10^6 bytes per second), median of 3, vs. Node's raw
 *    `crypto.createHash('sha256')` over the same chunks. The issue sets no goal for this figure: the
 *    numbers are reported (`goal: "reported"`, `pass: true`).
 */
import { createHash, randomFillSync } from 'node:crypto';
import * as os from 'node:os';
import type { HashType } from '../main/core/providers/types';
import { HashSet } from '../main/core/transfers/hash-set';
import { printFigure } from './figure';
import { measureCopies } from './transfer-copy';

const inputBytes = 256 * 1024 * 1024;
const chunkBytes = 1024 * 1024;
const repeats = 3;

function figure(name: string, value: number, unit: string, baseline: number, goal: string, pass: boolean) {
  printFigure(name, value, unit, baseline, value / baseline, goal, pass);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Throughput of `run` over the input, MB/s, median of `repeats`. */
function megabytesPerSecond(run: (chunks: readonly Buffer[]) => unknown, chunks: readonly Buffer[]): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    run(chunks);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    samples.push(inputBytes / 1e6 / seconds);
  }
  return median(samples);
}

const input = randomFillSync(Buffer.alloc(inputBytes));
const chunks: Buffer[] = [];
for (let offset = 0; offset < inputBytes; offset += chunkBytes)
  chunks.push(input.subarray(offset, offset + chunkBytes));

const hashSet = (types: HashType[]) => (pieces: readonly Buffer[]) => {
  const set = new HashSet(types);
  for (const piece of pieces) set.update(piece);
  return set.digest();
};

console.error(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
const baseline = megabytesPerSecond((pieces) => {
  const hash = createHash('sha256');
  for (const piece of pieces) hash.update(piece);
  return hash.digest('hex');
}, chunks);
for (const [label, types] of [
  ['hash md5 (one core)', ['md5']],
  ['hash content_hash (one core)', ['dropbox']],
  ['hash QuickXorHash (one core)', ['quickxor']],
  ['hash sha256 (one core)', ['sha256']],
  ['hash sha256+md5+content_hash together (one core)', ['sha256', 'md5', 'dropbox']],
] as const) {
  figure(label, megabytesPerSecond(hashSet([...types]), chunks), 'MB/s', baseline, 'reported', true);
}

const copies = await measureCopies();
figure(
  'copy 1 GiB Dropbox -> OneDrive, verified (engine)',
  copies.bigMiBs,
  'MiB/s',
  copies.bigBaselineMiBs,
  'ratio >= 0.7',
  copies.bigMiBs / copies.bigBaselineMiBs >= 0.7,
);
printFigure(
  'resident memory growth during that copy',
  copies.rssGrowthMiB,
  'MiB',
  null,
  null,
  '<= 100 MB',
  copies.rssGrowthMiB * 1.048576 <= 100,
);
figure(
  '2,000 files of 4 KiB Dropbox -> OneDrive, 6 at once (engine)',
  copies.smallFilesPerSecond,
  'files/s',
  copies.smallBaselinePerSecond,
  'ratio >= 0.5',
  copies.smallFilesPerSecond / copies.smallBaselinePerSecond >= 0.5,
);
