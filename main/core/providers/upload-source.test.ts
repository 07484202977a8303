/**
 * The stream-reading core of the Dropbox and OneDrive upload sources: reading ahead, counting against
 * the expected size, handing every byte out once and in order (to `handOut`, where the providers
 * hash), skipping, putting back, slicing without copies, closing.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UploadSourceCore } from './upload-source';

/** The core with `take`/`unread` exposed, recording every run of bytes handed out. */
class Recording extends UploadSourceCore {
  readonly handed: Array<{ start: number; text: string }> = [];

  take(max: number): Promise<Buffer> {
    return this.read(max);
  }

  override unread(bytes: Buffer): void {
    super.unread(bytes);
  }

  /** Every byte handed out, joined in order. */
  get all(): string {
    return this.handed.map((run) => run.text).join('');
  }

  protected override handOut(bytes: Buffer, start: number): void {
    this.handed.push({ start, text: bytes.toString() });
  }
}

async function* chunks(...parts: Array<string | Uint8Array>) {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 3) & 0xff;
  return bytes;
}

describe('UploadSourceCore', () => {
  it('hands out bounded chunks, each once and in order, and knows when the last one was taken', async () => {
    const source = new Recording(chunks('abc', 'defg', 'h'), 8);
    expect((await source.take(5)).toString()).toBe('abcde');
    expect(source.position).toBe(5);
    expect(source.exhausted).toBe(false);
    expect((await source.take(5)).toString()).toBe('fgh');
    expect(source.exhausted).toBe(true);
    expect(source.handed).toEqual([
      { start: 0, text: 'abcde' },
      { start: 5, text: 'fgh' },
    ]);
  });

  it('knows the end when the last chunk fills the request exactly', async () => {
    const source = new Recording(chunks('abcd'), undefined);
    expect((await source.take(4)).toString()).toBe('abcd');
    expect(source.exhausted).toBe(true);
  });

  it('takes strings and Uint8Arrays as bytes, and refuses anything else', async () => {
    const source = new Recording(chunks('ab', new Uint8Array([99, 100])), 4);
    expect((await source.take(10)).toString()).toBe('abcd');
    const odd = new Recording(
      (async function* () {
        yield 42;
      })(),
      undefined,
    );
    await expect(odd.take(1)).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('skips by handing out (without joining) every byte before an offset, and to the end', async () => {
    const source = new Recording(chunks('0123', '4567', '89'), 10);
    await source.skipTo(6);
    expect(source.position).toBe(6);
    expect(source.handed).toEqual([
      { start: 0, text: '0123' },
      { start: 4, text: '45' },
    ]);
    expect((await source.take(1)).toString()).toBe('6');
    await source.skipToEnd();
    expect(source.exhausted).toBe(true);
    expect(source.position).toBe(10);
    expect(source.all).toBe('0123456789');
  });

  it('hands out put-back bytes again, from their offset', async () => {
    const source = new Recording(chunks('0123', '4567', '89'), 10);
    const chunk = await source.take(6);
    source.unread(chunk.subarray(4));
    expect(source.position).toBe(4);
    expect((await source.take(10)).toString()).toBe('456789');
    expect(source.handed).toEqual([
      { start: 0, text: '012345' },
      { start: 4, text: '456789' },
    ]);
  });

  it('refuses to skip backwards or past the end (permanent)', async () => {
    const source = new Recording(chunks('abcdef'), undefined);
    await source.take(4);
    await expect(source.skipTo(2)).rejects.toMatchObject({ code: 'permanent' });
    const short = new Recording(chunks('ab'), undefined);
    await expect(short.skipTo(5)).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('more than the source'),
    });
  });

  it('fails with transient when the source is longer or shorter than its size, or fails', async () => {
    await expect(new Recording(chunks('abcdef'), 4).take(10)).rejects.toMatchObject({ code: 'transient' });
    await expect(new Recording(chunks('ab'), 4).take(10)).rejects.toMatchObject({ code: 'transient' });
    await expect(new Recording(chunks('ab'), 4).skipToEnd()).rejects.toMatchObject({ code: 'transient' });
    async function* failing() {
      yield Buffer.from('ab');
      throw new Error('disk gone');
    }
    await expect(new Recording(failing(), undefined).take(10)).rejects.toMatchObject({
      code: 'transient',
      message: expect.stringContaining('disk gone'),
    });
    const broken = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    await expect(new Recording(broken, undefined).take(10)).rejects.toMatchObject({
      code: 'transient',
      message: expect.stringContaining('disk gone'),
    });
  });

  it('hands out a slice of a source buffer without copying it when one buffer holds the chunk', async () => {
    const big = pattern(1024 * 1024);
    const source = new Recording(chunks(big), undefined);
    const first = await source.take(256 * 1024);
    const second = await source.take(256 * 1024);
    expect(first.buffer).toBe(big.buffer);
    expect(second.buffer).toBe(big.buffer);
    expect(second.byteOffset).toBe(big.byteOffset + 256 * 1024);
  });

  it('closes the source: an unfinished stream is destroyed, started or not', async () => {
    const stream = () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, i);
        })(),
      );
    const started = stream();
    const source = new Recording(started, undefined);
    await source.take(4096);
    expect(started.destroyed).toBe(false);
    await source.close();
    expect(started.destroyed).toBe(true);
    await source.close();

    const untouched = stream();
    await new Recording(untouched, undefined).close();
    expect(untouched.destroyed).toBe(true);
  });
});
