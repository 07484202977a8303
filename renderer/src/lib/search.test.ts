import { describe, expect, it } from 'vitest';
import type { AccountDto, ItemDto } from '../../../common/dto';
import type { SearchHitDto } from '../../../common/search';
import { parseSearchQuery } from '../../../common/search-query';
import {
  containingFolder,
  folderLabel,
  isEmptyQuery,
  isFindShortcut,
  openTarget,
  readSearchText,
  resultCountLabel,
  searchChips,
  textWithoutChip,
  typedSearchCharacter,
  withoutChip,
} from './search';

const now = Date.UTC(2026, 4, 15, 12);

function hit(item: Partial<ItemDto>, folderPath = '/Docs'): SearchHitDto {
  return {
    folderPath,
    item: {
      accountId: 'acc',
      id: 'item',
      parentId: 'parent',
      name: 'report.pdf',
      kind: 'file',
      size: 10,
      modifiedAt: null,
      mimeType: null,
      targetId: null,
      ...item,
    },
  };
}

describe('readSearchText', () => {
  it('reads words and filters into a query', () => {
    expect(readSearchText('report ext:pdf', now)).toEqual({
      status: 'query',
      query: { terms: ['report'], extensions: ['pdf'] },
    });
  });
  it('takes one character, and a filter alone, as a query', () => {
    expect(readSearchText('a', now)).toEqual({ status: 'query', query: { terms: ['a'] } });
    expect(readSearchText('kind:folder', now)).toEqual({
      status: 'query',
      query: { terms: [], kind: 'folder' },
    });
  });
  it('is empty for blank text, a filter still being typed, or a sort alone', () => {
    expect(readSearchText('', now)).toEqual({ status: 'empty' });
    expect(readSearchText('   ', now)).toEqual({ status: 'empty' });
    expect(readSearchText('ext:', now)).toEqual({ status: 'empty' });
    expect(readSearchText('sort:size', now)).toEqual({ status: 'empty' });
  });
  it('gives the parser’s message for a filter it cannot read, without throwing', () => {
    const read = readSearchText('report size:>lots', now);
    expect(read.status).toBe('error');
    expect(read.status === 'error' && read.message).toMatch(/size/);
  });
});

describe('isEmptyQuery', () => {
  it('counts every filter, and within', () => {
    expect(isEmptyQuery({ terms: [] })).toBe(true);
    expect(isEmptyQuery({ terms: [''] })).toBe(true);
    expect(isEmptyQuery({ terms: [], size: { min: 1 } })).toBe(false);
    expect(isEmptyQuery({ terms: [], within: { accountId: 'a', folderId: 'f' } })).toBe(false);
    expect(isEmptyQuery({ terms: [], extensions: [] })).toBe(true);
  });
});

describe('filter chips', () => {
  const query = parseSearchQuery(
    'annual report kind:file type:images,video ext:pdf,docx size:>10MB modified:2024 in:"Work Drive",dropbox sort:size-asc',
    { now },
  );

  it('has one chip per filter value, in the syntax’s order', () => {
    expect(searchChips(query)).toEqual([
      { id: 'kind', label: 'Kind: file' },
      { id: 'type:images', label: 'Type: images' },
      { id: 'type:video', label: 'Type: video' },
      { id: 'ext:pdf', label: 'Extension: pdf' },
      { id: 'ext:docx', label: 'Extension: docx' },
      { id: 'size', label: 'Size: >10MB' },
      { id: 'modified', label: 'Modified: 2024' },
      { id: 'in:Work Drive', label: 'Account: "Work Drive"' },
      { id: 'in:dropbox', label: 'Account: dropbox' },
      { id: 'sort', label: 'Sort: size-asc' },
    ]);
  });
  it('has no chips for words alone', () => {
    expect(searchChips(parseSearchQuery('report 2024', { now }))).toEqual([]);
  });
  it('removes one value of a list, or a whole filter', () => {
    expect(withoutChip(query, 'ext:pdf').extensions).toEqual(['docx']);
    expect(withoutChip(withoutChip(query, 'ext:pdf'), 'ext:docx')).not.toHaveProperty('extensions');
    expect(withoutChip(query, 'size')).not.toHaveProperty('size');
    expect(withoutChip(query, 'in:Work Drive').accounts).toEqual(['dropbox']);
    expect(withoutChip(query, 'type:video').categories).toEqual(['images']);
    expect(query.extensions).toEqual(['pdf', 'docx']); // the query itself is left alone
  });
  it('gives the text back without the chip, which reads back to the same query', () => {
    const text = textWithoutChip(parseSearchQuery('report ext:pdf size:>10MB', { now }), 'ext:pdf');
    expect(text).toBe('report size:>10MB');
    expect(parseSearchQuery(text, { now })).toEqual({ terms: ['report'], size: { min: 10_000_001 } });
    expect(textWithoutChip(parseSearchQuery('"annual report" kind:folder', { now }), 'kind')).toBe(
      '"annual report"',
    );
  });
  it('has a chip for every filter of every query removing it leaves out', () => {
    for (const chip of searchChips(query)) {
      const rest = parseSearchQuery(textWithoutChip(query, chip.id), { now });
      expect(searchChips(rest).map((c) => c.id)).toEqual(
        searchChips(query)
          .map((c) => c.id)
          .filter((id) => id !== chip.id),
      );
    }
  });
});

describe('resultCountLabel', () => {
  it('counts results, with a plus for a lower bound', () => {
    expect(resultCountLabel(1234, true, 'a', 'en-US')).toBe('1,234 results');
    expect(resultCountLabel(1, true, 'a', 'en-US')).toBe('1 result');
    expect(resultCountLabel(1000, false, 'a', 'en-US')).toBe('1,000+ results');
  });
  it('names the text when nothing matches', () => {
    expect(resultCountLabel(0, true, ' zzz ext:pdf ', 'en-US')).toBe('No results for “zzz ext:pdf”');
  });
});

describe('where a result leads', () => {
  it('opens a folder itself', () => {
    expect(openTarget(hit({ kind: 'folder', id: 'dir' }))).toEqual({ accountId: 'acc', folderId: 'dir' });
  });
  it('opens a file’s folder with the file selected', () => {
    expect(openTarget(hit({ id: 'f', parentId: 'p' }))).toEqual({
      accountId: 'acc',
      folderId: 'p',
      focusItemId: 'f',
    });
    expect(containingFolder(hit({ kind: 'folder', id: 'd', parentId: 'p' }))).toEqual({
      accountId: 'acc',
      folderId: 'p',
      focusItemId: 'd',
    });
  });
  it('has no containing folder for a root', () => {
    expect(containingFolder(hit({ parentId: null }))).toBeNull();
  });
  it('labels the folder with its account’s name, as account:path', () => {
    const accounts = [{ id: 'acc', name: 'Demo' } as AccountDto];
    expect(folderLabel(hit({}, '/Photos/2023'), accounts)).toBe('Demo:/Photos/2023');
    expect(folderLabel(hit({}, '/'), accounts)).toBe('Demo:/');
    expect(folderLabel(hit({ accountId: 'gone' }, '/x'), accounts)).toBe('gone:/x');
  });
});

describe('search keys', () => {
  it('takes Ctrl+F and Cmd+F as find', () => {
    expect(isFindShortcut({ key: 'f', ctrlKey: true })).toBe(true);
    expect(isFindShortcut({ key: 'f', metaKey: true })).toBe(true);
    expect(isFindShortcut({ key: 'F', ctrlKey: true })).toBe(true);
    expect(isFindShortcut({ key: 'f' })).toBe(false);
    expect(isFindShortcut({ key: 'f', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(isFindShortcut({ key: 'f', ctrlKey: true, altKey: true })).toBe(false);
    expect(isFindShortcut({ key: 'g', ctrlKey: true })).toBe(false);
  });
  it('starts a search with a printable character', () => {
    expect(typedSearchCharacter({ key: 'a' })).toBe('a');
    expect(typedSearchCharacter({ key: 'É', shiftKey: true })).toBe('É');
    expect(typedSearchCharacter({ key: '7' })).toBe('7');
    expect(typedSearchCharacter({ key: '😀' })).toBe('😀');
  });
  it('leaves named keys, spaces and shortcuts alone', () => {
    for (const key of ['Enter', 'ArrowDown', 'Backspace', 'Escape', 'F1', 'Dead', ' ', 'Tab'])
      expect(typedSearchCharacter({ key })).toBeNull();
    expect(typedSearchCharacter({ key: 'a', ctrlKey: true })).toBeNull();
    expect(typedSearchCharacter({ key: 'a', metaKey: true })).toBeNull();
    expect(typedSearchCharacter({ key: 'a', altKey: true })).toBeNull();
  });
});
