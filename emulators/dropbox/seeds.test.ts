/** The shared seeds mapped onto Dropbox: the demo tree, empty accounts, synthetic listings. */
import type { files } from 'dropbox';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHashOf } from './content';
import { dropboxFor, startHarness, type Harness } from './test-support';

let h: Harness;
afterEach(() => h.close());

async function listAll(
  path: string,
  options: Partial<files.ListFolderArg> = {},
): Promise<files.MetadataReference[]> {
  let page = (await h.dbx.filesListFolder({ path, recursive: true, ...options })).result;
  const entries = [...page.entries];
  while (page.has_more) {
    page = (await h.dbx.filesListFolderContinue({ cursor: page.cursor })).result;
    entries.push(...page.entries);
  }
  return entries;
}

describe('seeds', () => {
  it('demo: alice gets a plausible Dropbox, names made legal, deleted items, real photos', async () => {
    h = await startHarness({ seed: 'demo' });
    const entries = await listAll('');
    const paths = entries.map((e) => e.path_display);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/Documents',
        '/Documents/Project plan.docx',
        '/Documents/Budget 2025.xlsx',
        '/Documents/Quarterly review.pptx',
        '/Documents/notes.txt',
        '/Photos/2024/beach.png',
        '/Duplicates/report.txt',
        '/Duplicates/report (2).txt',
        '/Duplicates/Same (2)',
        '/AC\u2215DC - Back in Black.txt',
        '/dataset.bin',
        '/Deep/Level 1/Level 2/Level 3/Level 4/Level 5/Level 6/Level 7/Level 8/Level 9/Level 10/Level 11/Level 12/bottom.txt',
      ]),
    );
    expect(paths).not.toContain('/old draft.txt');
    expect(paths.some((p) => p?.includes('Summer photos'))).toBe(false);
    const deleted = (await listAll('', { include_deleted: true })).filter((e) => e['.tag'] === 'deleted');
    expect(deleted.map((e) => e.path_display)).toEqual([
      '/old draft.txt',
      '/Old stuff',
      '/Old stuff/ancient.txt',
    ]);
    const dataset = entries.find((e) => e.name === 'dataset.bin') as files.FileMetadataReference;
    expect(dataset.size).toBe(12 * 1024 * 1024 + 12345);
    const beach = await h.dbx.filesDownload({ path: '/Photos/2024/beach.png' });
    const bytes = (beach.result as unknown as { fileBinary: Buffer }).fileBinary;
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect((beach.result as files.FileMetadata).content_hash).toBe(contentHashOf(bytes));
    const again = await startHarness({ seed: 'demo' });
    try {
      const twin = (await again.dbx.filesGetMetadata({ path: '/dataset.bin' }))
        .result as files.FileMetadataReference;
      expect([twin.id, twin.rev, twin.content_hash]).toEqual([dataset.id, dataset.rev, dataset.content_hash]);
    } finally {
      await again.close();
    }
  });

  it('demo: bob has his own files, carol an empty Dropbox; empty seeds keep the users', async () => {
    h = await startHarness({ seed: 'demo' });
    const bob = dropboxFor(h.url, h.emulator.admin.issueTokens('bob@example.com').access_token);
    const bobs = (await bob.filesListFolder({ path: '', recursive: true })).result.entries.map(
      (e) => e.path_display,
    );
    expect(bobs).toEqual(['/todo.txt', '/Work', '/Work/plan.png', '/Work/Specs.docx']);
    const carol = dropboxFor(h.url, h.emulator.admin.issueTokens('carol@example.com').access_token);
    expect((await carol.filesListFolder({ path: '' })).result.entries).toEqual([]);
    expect(h.emulator.users).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
  });

  it('synthetic:N lists N items whose content matches their content_hash', async () => {
    h = await startHarness({ seed: 'synthetic:300' });
    const entries = await listAll('', { limit: 100 });
    expect(entries).toHaveLength(300);
    const file = entries.find(
      (e) => e['.tag'] === 'file' && (e as files.FileMetadataReference).size > 0,
    ) as files.FileMetadataReference;
    const download = await h.dbx.filesDownload({ path: file.id });
    const bytes = (download.result as unknown as { fileBinary: Buffer }).fileBinary;
    expect(bytes.length).toBe(file.size);
    expect(contentHashOf(bytes)).toBe(file.content_hash);
  });
});
