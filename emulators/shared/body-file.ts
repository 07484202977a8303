/**
 * Request bodies written to files on disk, for the emulators that keep uploads as files (Dropbox,
 * OneDrive), and the tally a service keeps of the bytes on the way: size, first bytes (to recognise
 * images) and the service's own hash.
 */
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** What a body written to disk gave. */
export interface WrittenBody {
  /** Bytes written (those before the limit when `tooLarge`). */
  readonly size: number;
  /** False when the connection broke before the body ended. */
  readonly complete: boolean;
  /** More than `maxBytes` came: the write stopped there, the rest was read and discarded. */
  readonly tooLarge: boolean;
}

/**
 * Writes a request body into `file` from `offset` on (`mode` `w`: a new file; `r+`: one that exists),
 * handing every chunk written to `onChunk` (a service's hash). Past `maxBytes` nothing more is written
 * but the body is still read to its end (so the client gets an answer). A body that breaks off is no
 * error: `complete` says whether it ended cleanly.
 */
export async function writeBodyToFile(
  file: string,
  mode: 'w' | 'r+',
  source: Readable,
  offset: number,
  maxBytes: number,
  onChunk: (data: Buffer) => void = () => undefined,
): Promise<WrittenBody> {
  const handle = await fs.open(file, mode);
  let size = 0;
  let tooLarge = false;
  let complete = true;
  try {
    for await (const chunk of source) {
      const data = chunk as Buffer;
      if (tooLarge || size + data.length > maxBytes) {
        tooLarge = true;
        continue;
      }
      await handle.write(data, 0, data.length, offset + size);
      onChunk(data);
      size += data.length;
    }
  } catch {
    complete = false;
  } finally {
    await handle.close();
  }
  return { size, complete, tooLarge };
}

/** Counts bytes, keeps the first `headBytes` of them and feeds them all to `hash`. */
export class ByteTally<H extends { update(data: Uint8Array): unknown }> {
  size = 0;
  head = Buffer.alloc(0);

  constructor(
    readonly hash: H,
    private readonly headBytes: number,
  ) {}

  /** Takes the next bytes (an arrow, to pass as writeBodyToFile's `onChunk`). */
  readonly add = (data: Buffer): void => {
    if (this.head.length < this.headBytes)
      this.head = Buffer.concat([this.head, data.subarray(0, this.headBytes - this.head.length)]);
    this.hash.update(data);
    this.size += data.length;
  };

  /** Reads a whole file into the tally (a finished upload session's part file). */
  async addFile(file: string): Promise<this> {
    for await (const chunk of createReadStream(file)) this.add(chunk as Buffer);
    return this;
  }
}
