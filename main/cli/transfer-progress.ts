/**
 * The live progress bar of `cp`, `mv` and `transfers resume` on a terminal (cli-progress: it
 * redraws in place, computes the ETA, and writes nothing when its stream is not a TTY). One bar over
 * the batches of the run: bytes sent of the bytes planned, files done, speed.
 */
import { SingleBar } from 'cli-progress';
import type { TransferBatchDto } from '../../common/transfers';
import { humanSize } from './format';

/** Where the bar is drawn: a terminal (the CLI gives stderr when it is one). */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface TransferProgress {
  /** Shows the batches as they are now. */
  update(batches: readonly TransferBatchDto[]): void;
  /** Removes the bar (the report follows). Idempotent. */
  stop(): void;
}

export function transferProgress(stream: ProgressStream): TransferProgress {
  const bar = new SingleBar({
    stream,
    format: '{bar} {percentage}% | {files} files | {sent} of {size} | {speed}/s | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 20,
    fps: 5,
  });
  let started = false;
  let stopped = false;
  return {
    update(batches) {
      if (stopped) return;
      const total = batches.reduce((sum, batch) => sum + batch.bytes, 0);
      const sent = batches.reduce((sum, batch) => sum + batch.bytesDone, 0);
      const files = batches.reduce((sum, batch) => sum + batch.files, 0);
      const open = batches.reduce((sum, batch) => sum + batch.open, 0);
      const payload = {
        files: `${files - Math.min(files, open)}/${files}`,
        sent: humanSize(sent),
        size: humanSize(total),
        speed: humanSize(batches.reduce((sum, batch) => sum + batch.rate, 0)),
      };
      if (!started) {
        bar.start(Math.max(1, total), Math.min(sent, Math.max(1, total)), payload);
        started = true;
      } else {
        bar.setTotal(Math.max(1, total));
        bar.update(Math.min(sent, Math.max(1, total)), payload);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}
