/**
 * A download's body as providers hand it out: a Node stream that fails with a SkyfoldError, never
 * with a raw network error, and never ends quietly short of the bytes the server announced.
 */
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SkyfoldError } from '../../../common/errors';

export interface BodyStreamOptions {
  /** Bytes the body must hold (from Content-Length, a range or the file's metadata); undefined: not checked. */
  expectedBytes: number | undefined;
  /** Names the download in errors, e.g. `Dropbox, reading "a.txt"`. */
  what: string;
  /** Maps an error of the connection mid-body to a SkyfoldError (the provider's own mapping). */
  mapError: (error: unknown) => SkyfoldError;
}

/**
 * The body of the successful answer `response` as a Node Readable (empty when it has none). It fails
 * with `transient` (`<what>: received N of M bytes`) when more or fewer than `expectedBytes` arrive,
 * and with `mapError(error)` when the connection breaks while the body is read. Destroying the
 * returned stream (a consumer that stops early) cancels the body, which frees the connection.
 */
export function responseBodyStream(response: Response, options: BodyStreamOptions): Readable {
  const body = response.body ? Readable.fromWeb(response.body as WebReadableStream) : Readable.from([]);
  const checked = lengthChecked(options.expectedBytes, options.what);
  body.on('error', (error) => checked.destroy(options.mapError(error)));
  checked.on('close', () => body.destroy());
  return body.pipe(checked);
}

/** Passes bytes through and fails with `transient` when fewer or more than `expected` (if known) arrive. */
function lengthChecked(expected: number | undefined, what: string): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      callback(
        expected === undefined || received === expected
          ? null
          : new SkyfoldError('transient', `${what}: received ${received} of ${expected} bytes`),
      );
    },
  });
}
