/**
 * How the CLI sees transfers through: it runs the queue itself, or, while another process (the
 * app, another CLI) holds the runner lease, waits for that process to carry the batches on. A live
 * progress bar is drawn meanwhile on a terminal.
 */
import type { TransferBatchDto } from '../../common/transfers';
import type { SkyfoldService } from '../core/service';
import { transferProgress, type ProgressStream } from './transfer-progress';

/** How often the bar is redrawn, and how often a queue run by another process is looked at. */
const drawMs = 200;
const pollMs = 500;

/**
 * Runs (or waits for) the queue until none of `batchIds` can go further: each ended, paused, or
 * waiting for a decision. Draws the progress on `stream` when given. Resolves with those batches.
 */
export async function settleBatches(
  service: SkyfoldService,
  batchIds: readonly string[],
  stream: ProgressStream | null,
): Promise<TransferBatchDto[]> {
  const current = async () => {
    const batches: TransferBatchDto[] = [];
    for (const batchId of batchIds) batches.push(...(await service.listTransfers({ batchId })).batches);
    return batches;
  };
  const progress = stream ? transferProgress(stream) : null;
  const draw = () =>
    void current().then(
      (batches) => progress?.update(batches),
      () => undefined,
    );
  const timer = progress ? setInterval(draw, drawMs) : null;
  try {
    for (;;) {
      await service.runTransfers();
      const batches = await current();
      if (!batches.some((batch) => batch.state === 'ready' && batch.open > batch.paused)) return batches;
      await new Promise((resolve) => setTimeout(resolve, pollMs)); // another process runs the queue
    }
  } finally {
    if (timer) clearInterval(timer);
    progress?.stop();
  }
}
