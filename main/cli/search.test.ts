/**
 * `skyfold search` over the index: substrings of any length, case- and accent-insensitive, the
 * query syntax's filters, the JSON shape (account, id, path, name, size, modified, kind), and clear
 * refusals of bad filters. Two local accounts, so results span accounts.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCliAsUser } from './test-support';

let base: string;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-search-'));
  const write = async (file: string, bytes: number) => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, Buffer.alloc(bytes, 1));
  };
  await write(path.join(base, 'home', 'Reports', 'Annual Report 2024.pdf'), 2_000_000);
  await write(path.join(base, 'home', 'Reports', 'report-draft.docx'), 10);
  await write(path.join(base, 'home', 'Photos', 'Café au lait.JPG'), 3000);
  await write(path.join(base, 'home', 'Photos', 'cafe\u0301 NFD.png'), 4000);
  await write(path.join(base, 'work', 'q.txt'), 1);
  await write(path.join(base, 'work', 'Reporting', 'notes.md'), 5);
  const data = path.join(base, 'data');
  for (const name of ['home', 'work']) {
    const added = await runCliAsUser(['accounts', 'add', 'local', path.join(base, name), '--name', name], {
      base,
      dataDir: data,
      env: {},
    });
    expect(added.status, added.stderr).toBe(0);
  }
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliAsUser(args, { base, dataDir: path.join(base, 'data'), env: {} });

interface Hit {
  account: string;
  id: string;
  path: string;
  name: string;
  size: number | null;
  modified: string | null;
  kind: 'file' | 'folder';
}
async function search(...args: string[]): Promise<Hit[]> {
  const result = await cli('search', ...args, '--json');
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim() === '' ? [] : jsonLines<Hit>(result.stdout);
}
const paths = (hits: Hit[]) => hits.map((hit) => `${hit.account}:${hit.path}`).sort();

describe('skyfold search', () => {
  it('finds substrings in every account, case-insensitively, with each result in JSON', async () => {
    const hits = await search('REPORT');
    expect(paths(hits)).toEqual([
      'home:/Reports',
      'home:/Reports/Annual Report 2024.pdf',
      'home:/Reports/report-draft.docx',
      'work:/Reporting',
    ]);
    const annual = hits.find((hit) => hit.name === 'Annual Report 2024.pdf')!;
    expect(annual).toMatchObject({ kind: 'file', size: 2_000_000, account: 'home' });
    expect(annual.modified).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(annual.id).toBeTruthy();
  });

  it('matches one and two characters, and ignores accents in both directions (NFC and NFD names)', async () => {
    expect(paths(await search('q'))).toEqual(['work:/q.txt']);
    expect(paths(await search('cafe'))).toEqual([
      'home:/Photos/Café au lait.JPG',
      'home:/Photos/cafe\u0301 NFD.png',
    ]);
    expect(paths(await search('CAFÉ'))).toEqual([
      'home:/Photos/Café au lait.JPG',
      'home:/Photos/cafe\u0301 NFD.png',
    ]);
  });

  it('applies the filters of the query syntax', async () => {
    expect(paths(await search('report', 'ext:pdf'))).toEqual(['home:/Reports/Annual Report 2024.pdf']);
    expect(paths(await search('report', 'kind:folder'))).toEqual(['home:/Reports', 'work:/Reporting']);
    expect(paths(await search('report', 'size:>1MB'))).toEqual(['home:/Reports/Annual Report 2024.pdf']);
    expect(paths(await search('type:images'))).toEqual([
      'home:/Photos/Café au lait.JPG',
      'home:/Photos/cafe\u0301 NFD.png',
    ]);
    expect(paths(await search('report', 'in:work'))).toEqual(['work:/Reporting']);
    expect(await search('report', 'in:nobody')).toEqual([]);
  });

  it('sorts and limits', async () => {
    const bySize = await search('type:images', 'sort:-size');
    expect(bySize.map((hit) => hit.size)).toEqual([4000, 3000]);
    expect(await search('report', '--limit', '1')).toHaveLength(1);
  });

  it('prints text with the count on stderr, and refuses a bad filter with one clear line', async () => {
    const text = await cli('search', 'notes');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('work:/Reporting/notes.md\n');
    expect(text.stderr).toBe('1 of 1 result\n');
    const bad = await cli('search', 'size:>abc');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/not a size/);
  });
});
