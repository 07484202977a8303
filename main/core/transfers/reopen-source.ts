/**
 * A download that survives a broken connection: the bytes of `open(0)`, and when that stream fails
 * mid-body with a passing fault (`transient`, `rate_limited`: a reset, a body cut short), the rest
 * from `open(delivered)`, a Range read starting at the first byte not yet delivered. The consumer
 * sees one seamless stream. Like rclone's `operations.NewReOpen`.
 *
 * Errors: a failure of `open` itself (the provider has already retried the request), a failure
 * that retrying will not fix, or more than `maxReopens` re-opens: the stream fails with it.
 * Destroying the returned stream destroys the one being read.
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryableCodes, SkyfoldError } from '../../../common/errors';

export interface ReopenOptions {
  /** Re-opens allowed for one stream (each after a pause). Default 5. */
  maxReopens?: number;
  /** Pause before the n-th re-open (1-based), ms. Default 250 ms doubling. */
  pauseMs?: (reopen: number) => number;
  /** Bytes buffered ahead of the consumer. Default 1 MiB. */
  highWaterMark?: number;
}

export function reopeningSource(
  open: (start: number) => Promise<Readable>,
  options: ReopenOptions = {},
): Readable {
  const maxReopens = options.maxReopens ?? 5;
  const pauseMs = options.pauseMs ?? ((reopen: number) => 250 * 2 ** (reopen - 1));
  let delivered = 0;
  async function* bytes(): AsyncGenerator<Buffer> {
    for (let reopens = 0; ; reopens++) {
      const stream = await open(delivered);
      try {
        for await (const chunk of stream as AsyncIterable<Buffer | string>) {
          const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          delivered += buffer.length;
          yield buffer;
        }
        return;
      } catch (error) {
        if (!isPassing(error) || reopens >= maxReopens) throw error;
      } finally {
        stream.destroy();
      }
      await sleep(pauseMs(reopens + 1));
    }
  }
  return Readable.from(bytes(), { objectMode: false, highWaterMark: options.highWaterMark ?? 1024 * 1024 });
}

function isPassing(error: unknown): boolean {
  return error instanceof SkyfoldError && retryableCodes.has(error.code) && error.code !== 'auth_expired';
}
