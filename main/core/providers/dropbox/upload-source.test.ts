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
    expect(source.hash.digest()).toBe(new DropboxContentHash().update(Buffer.from('abcdefgh')).digest());
  });

  it('knows the end when the last chunk fills the request exactly', async () => {
    const source = new UploadSource(chunks('abcd'), undefined);
    expect((await source.take(0, 4)).toString()).toBe('abcd');
    expect(source.exhausted).toBe(true);
  });

  it('skips (but hashes) bytes before the requested offset, and re-hands out unread bytes', async () => {
    const source = new UploadSource(chunks('0123', '4567', '89'), 10);
    expect((await source.take(6, 2)).toString()).toBe('67');
    source.unread(Buffer.from('7'));
    expect((await source.take(7, 10)).toString()).toBe('789');
    expect(source.hash.digest()).toBe(new DropboxContentHash().update(Buffer.from('0123456789')).digest());
  });

  it('refuses to go back before bytes already handed out, or past the end', async () => {
    const source = new UploadSource(chunks('abcdef'), undefined);
    await source.take(0, 4);
    await expect(source.take(2, 2)).rejects.toMatchObject({ code: 'permanent' });
    const short = new UploadSource(chunks('ab'), undefined);
    await expect(short.take(5, 1)).rejects.toMatchObject({ code: 'permanent' });
  });

  it('fails with transient when the source is longer or shorter than its size, or fails', async () => {
    await expect(new UploadSource(chunks('abcdef'), 4).take(0, 10)).rejects.toMatchObject({
      code: 'transient',
    });
    await expect(new UploadSource(chunks('ab'), 4).take(0, 10)).rejects.toMatchObject({ code: 'transient' });
    async function* failing() {
      yield Buffer.from('ab');
      throw new Error('disk gone');
    }
    await expect(new UploadSource(failing(), undefined).take(0, 10)).rejects.toMatchObject({
      code: 'transient',
      message: expect.stringContaining('disk gone'),
    });
  });
});
