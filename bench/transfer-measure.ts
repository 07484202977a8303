/**
 * What the transfer benches share: a 64 MiB generated source, and a comparison of a piece of work
 * with its baseline (alternating which runs first, medians of 3) in time and in the peak growth of
 * memory held in buffers.
 */
import { Readable } from 'node:stream';

export const size = 64 * 1024 * 1024;
const chunk = 1024 * 1024;

export interface Measurement {
  ms: number;
  peakBytes: number;
}

/** Runs `work` and reports its duration and the peak growth of `arrayBuffers` memory meanwhile. */
async function measureOnce(work: () => Promise<unknown>): Promise<Measurement> {
  globalThis.gc?.();
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
  const start = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  return { ms, peakBytes: peak - before };
}

const repeats = 3;

/**
 * `work` and its `baseline`, alternately, `repeats` times each (so neither always runs first on a
 * warm or cold process): the median time and median peak of each.
 */
export async function compare(
  work: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<[Measurement, Measurement]> {
  const runs: [Measurement[], Measurement[]] = [[], []];
  for (let i = 0; i < repeats; i++) {
    const order = i % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    for (const which of order) runs[which].push(await measureOnce(which === 0 ? work : baseline));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const summary = (list: Measurement[]) => ({
    ms: median(list.map((m) => m.ms)),
    peakBytes: median(list.map((m) => m.peakBytes)),
  });
  return [summary(runs[0]), summary(runs[1])];
}

export function source(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      this.push(Buffer.alloc(chunk, sent & 0xff));
      sent += chunk;
    },
  });
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
