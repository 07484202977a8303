import { describe, expect, it, vi } from 'vitest';
import type { TransferPlanDto } from '../../../common/transfers';
import {
  collectDroppedFiles,
  dropRoots,
  uploadDroppedFiles,
  type EntryLike,
  type FetchLike,
  type UploadProgress,
} from './uploads';

const fileEntry = (name: string, text = name): EntryLike => ({
  name,
  isFile: true,
  isDirectory: false,
  file: (success) => success(new File([text], name)),
});

/** A folder whose reader answers in chunks of two, then an empty chunk (as Chrome's does in 100s). */
const folderEntry = (name: string, children: EntryLike[]): EntryLike => ({
  name,
  isFile: false,
  isDirectory: true,
  createReader: () => {
    let at = 0;
    return {
      readEntries: (success) => {
        const chunk = children.slice(at, at + 2);
        at += chunk.length;
        success(chunk);
      },
    };
  },
});

describe('dropRoots', () => {
  it('takes the entries of the drop’s items', () => {
    const entry = fileEntry('a.txt');
    const roots = dropRoots(
      [
        { kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null },
        { kind: 'string', getAsFile: () => null },
      ],
      [],
    );
    expect(roots).toEqual([entry]);
  });
  it('falls back to the files when there are no entries', () => {
    const file = new File(['x'], 'x.txt');
    expect(dropRoots([{ kind: 'file', getAsFile: () => file }], [file])).toEqual([file]);
    expect(dropRoots(null, [file])).toEqual([file]);
  });
});

describe('collectDroppedFiles', () => {
  it('walks folders and gives each file its path in the drop', async () => {
    const roots = [
      fileEntry('top.txt'),
      folderEntry('Photos', [
        fileEntry('a.jpg'),
        fileEntry('b.jpg'),
        folderEntry('2024', [fileEntry('c.jpg')]),
        folderEntry('empty', []),
      ]),
      new File(['plain'], 'plain.txt'),
    ];
    const files = await collectDroppedFiles(roots);
    expect(files.map((entry) => entry.path)).toEqual([
      'top.txt',
      'Photos/a.jpg',
      'Photos/b.jpg',
      'Photos/2024/c.jpg',
      'plain.txt',
    ]);
    expect(await files[4]!.file.text()).toBe('plain');
  });
});

describe('uploadDroppedFiles', () => {
  const plan: TransferPlanDto = {
    batchId: 'b1',
    files: 3,
    folders: 0,
    bytes: 6,
    renamed: [],
    refused: [],
    skipped: [],
    conflicts: [],
  };
  const files = ['a', 'bb', 'ccc'].map((text, index) => ({
    path: `dir/${index}.txt`,
    file: new File([text], `${index}.txt`),
  }));

  it('announces, sends each file a few at a time, then finishes', async () => {
    const api = {
      beginUpload: vi.fn(async () => ({ uploadId: 'up 1' })),
      finishUpload: vi.fn(async () => plan),
    };
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(`${init.method} ${url} ${await init.body.text()}`);
      inFlight--;
      return { ok: true, status: 200, text: async () => '' };
    };
    const progress: UploadProgress[] = [];
    const result = await uploadDroppedFiles({
      api,
      fetch,
      destination: { accountId: 'acc', folderId: 'dir' },
      files,
      concurrency: 2,
      onProgress: (value) => progress.push(value),
    });
    expect(result).toBe(plan);
    expect(api.beginUpload).toHaveBeenCalledWith({
      destination: { accountId: 'acc', folderId: 'dir' },
      files: [
        { path: 'dir/0.txt', size: 1 },
        { path: 'dir/1.txt', size: 2 },
        { path: 'dir/2.txt', size: 3 },
      ],
    });
    expect(api.finishUpload).toHaveBeenCalledWith({ uploadId: 'up 1' });
    expect(sent.sort()).toEqual([
      'PUT /upload/up%201/0 a',
      'PUT /upload/up%201/1 bb',
      'PUT /upload/up%201/2 ccc',
    ]);
    expect(most).toBe(2);
    expect(progress[0]).toEqual({ files: 3, filesSent: 0, bytes: 6, bytesSent: 0 });
    expect(progress.at(-1)).toEqual({ files: 3, filesSent: 3, bytes: 6, bytesSent: 6 });
  });

  it('stops at the first failure, says which file and why, and never finishes', async () => {
    const api = {
      beginUpload: vi.fn(async () => ({ uploadId: 'u' })),
      finishUpload: vi.fn(async () => plan),
    };
    const fetch: FetchLike = async (url) =>
      url.endsWith('/0')
        ? { ok: false, status: 413, text: async () => 'too big' }
        : { ok: true, status: 200, text: async () => '' };
    await expect(
      uploadDroppedFiles({
        api,
        fetch,
        destination: { accountId: 'a', folderId: 'f' },
        files,
        concurrency: 1,
      }),
    ).rejects.toThrow('Could not upload dir/0.txt: the server answered 413 (too big)');
    expect(api.finishUpload).not.toHaveBeenCalled();
  });

  it('reports a dropped connection as the file’s failure', async () => {
    const api = {
      beginUpload: vi.fn(async () => ({ uploadId: 'u' })),
      finishUpload: vi.fn(async () => plan),
    };
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(
      uploadDroppedFiles({
        api,
        fetch,
        destination: { accountId: 'a', folderId: 'f' },
        files: files.slice(0, 1),
      }),
    ).rejects.toThrow('Could not upload dir/0.txt: Failed to fetch');
  });
});
