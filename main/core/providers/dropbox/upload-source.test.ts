import { describe, expect, it } from 'vitest';
import { DropboxContentHash } from '../hashes/dropbox-content-hash';
import { UploadSource } from './upload-source';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe('UploadSource', () => {
  it('hands out bounded chunks and knows when the last one was taken', async () => {
    const source = new UploadSource(chunks('abc', 'defg', 'h'), 8);
    expect((await source.take(0, 5)).toString()).toBe('abcde');
    expect(source.exhausted).toBe(false);
    expect((await source.take(5, 5)).toString()).toBe('fgh');
    expect(source.exhausted).toBe(true);
    expect(source.digest()).toBe(new DropboxContentHash().update(Buffer.from('abcdefgh')).digest());
  });

  it('skips (but hashes) bytes before the requested offset, and re-hands out unread bytes', async () => {
    const source = new UploadSource(chunks('0123', '4567', '89'), 10);
    expect((await source.take(6, 2)).toString()).toBe('67');
    source.unread(Buffer.from('7'));
    expect((await source.take(7, 10)).toString()).toBe('789');
    expect(source.digest()).toBe(new DropboxContentHash().update(Buffer.from('0123456789')).digest());
  });

  it('refuses to go back before bytes already handed out, or past the end', async () => {
    const source = new UploadSource(chunks('abcdef'), undefined);
    await source.take(0, 4);
    await expect(source.take(2, 2)).rejects.toMatchObject({ code: 'permanent' });
    const short = new UploadSource(chunks('ab'), undefined);
    await expect(short.take(5, 1)).rejects.toMatchObject({ code: 'permanent' });
  });
});

describe('UploadSource hashing', () => {
  const MiB = 1024 * 1024;
  const hashOf = (bytes: Buffer) => new DropboxContentHash().update(bytes).digest();
  function pattern(length: number): Buffer {
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 3) & 0xff;
    return bytes;
  }
  async function* pieces(bytes: Buffer, size: number) {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }

  it('gives each chunk its content_hash and the prefix its hash, aligned on 4 MiB blocks or not', async () => {
    const bytes = pattern(9 * MiB + 123);
    for (const chunkSize of [4 * MiB, 3 * MiB + 7]) {
      const source = new UploadSource(pieces(bytes, 1_000_000), bytes.length);
      for (let at = 0; !source.exhausted; at += chunkSize) {
        const chunk = await source.take(at, chunkSize);
        expect(chunk.equals(bytes.subarray(at, at + chunkSize))).toBe(true);
        expect(source.chunkHash()).toBe(hashOf(chunk));
        expect(source.prefixHash()).toBe(hashOf(bytes.subarray(0, at + chunk.length)));
      }
      expect(source.digest()).toBe(hashOf(bytes));
    }
  });

  it('hashes the bytes it skips, and knows no prefix hash while bytes are put back', async () => {
    const bytes = pattern(2 * MiB);
    const source = new UploadSource(pieces(bytes, 300_000), undefined);
    await source.skipTo(MiB + 5);
    expect(source.prefixHash()).toBe(hashOf(bytes.subarray(0, MiB + 5)));
    const chunk = await source.take(MiB + 5, 1000);
    source.unread(chunk.subarray(400));
    expect(source.prefixHash()).toBeNull();
    const again = await source.take(MiB + 405, 2000);
    expect(source.chunkHash()).toBe(hashOf(again));
    expect(source.prefixHash()).toBe(hashOf(bytes.subarray(0, MiB + 2405)));
    await source.skipToEnd();
    expect(source.digest()).toBe(hashOf(bytes));
  });
});
