/**
 * Streaming reader for `multipart/related` upload bodies (uploadType=multipart): part 1 is the JSON
 * metadata (read into memory, bounded), part 2 the media, streamed out as it arrives so uploads of any
 * size use constant memory. Follows RFC 2046 delimiters (`--boundary`, then `CRLF--boundary`, closing
 * `--boundary--`); googleapis ends the media part with `\r\n--boundary--` and no final CRLF.
 */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';

export class MultipartError extends Error {}

export interface MultipartUpload {
  metadata: Buffer;
  metadataType: string | undefined;
  mediaType: string | undefined;
  /** The media bytes; errors if the body ends before the closing delimiter. */
  media: Readable;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Reads up to the start of the media part; the media is then pumped into `media` in the background. */
export async function readMultipart(
  body: Readable,
  boundary: string,
  metadataLimit: number,
): Promise<MultipartUpload> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffer: Buffer = Buffer.alloc(0);
  const pull = async (): Promise<boolean> => {
    const next = await iterator.next();
    if (next.done) return false;
    buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    return true;
  };
  const until = async (needle: Buffer): Promise<number> => {
    for (;;) {
      const index = buffer.indexOf(needle);
      if (index >= 0) return index;
      if (buffer.length > metadataLimit + needle.length + 1024) throw new MultipartError('part too large');
      if (!(await pull())) throw new MultipartError('unexpected end of body');
    }
  };
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');

  const readPartHeaders = async (): Promise<Record<string, string>> => {
    // After a delimiter: optional transport padding, then CRLF (or headers ending right away).
    const lineEnd = await until(Buffer.from('\r\n'));
    if (buffer.subarray(0, lineEnd).toString('latin1').trim() !== '')
      throw new MultipartError('bad delimiter');
    buffer = buffer.subarray(lineEnd);
    if (buffer.subarray(0, 4).equals(headerEnd)) {
      buffer = buffer.subarray(4);
      return {};
    }
    buffer = buffer.subarray(2);
    const end = await until(headerEnd);
    const headers = parseHeaders(buffer.subarray(0, end).toString('latin1'));
    buffer = buffer.subarray(end + 4);
    return headers;
  };

  const first = await until(dashBoundary);
  buffer = buffer.subarray(first + dashBoundary.length);
  const metadataHeaders = await readPartHeaders();
  const metadataEnd = await until(delimiter);
  const metadata = Buffer.from(buffer.subarray(0, metadataEnd));
  buffer = buffer.subarray(metadataEnd + delimiter.length);
  while (buffer.length < 2) if (!(await pull())) throw new MultipartError('unexpected end of body');
  if (buffer.subarray(0, 2).toString() === '--') throw new MultipartError('the media part is missing');
  const mediaHeaders = await readPartHeaders();

  const media = new PassThrough();
  const write = async (chunk: Buffer) => {
    if (chunk.length === 0 || media.destroyed) return;
    if (!media.write(chunk)) await Promise.race([once(media, 'drain'), once(media, 'close')]);
  };
  const pump = async () => {
    for (;;) {
      const index = buffer.indexOf(delimiter);
      if (index >= 0) {
        await write(buffer.subarray(0, index));
        media.end();
        return;
      }
      const keep = delimiter.length - 1;
      if (buffer.length > keep) {
        const out = buffer.subarray(0, buffer.length - keep);
        buffer = buffer.subarray(buffer.length - keep);
        await write(out);
      }
      if (media.destroyed) return;
      if (!(await pull())) throw new MultipartError('unexpected end of body');
    }
  };
  pump().catch((error: unknown) =>
    media.destroy(error instanceof Error ? error : new MultipartError(String(error))),
  );
  return {
    metadata,
    metadataType: metadataHeaders['content-type'],
    mediaType: mediaHeaders['content-type'],
    media,
  };
}
