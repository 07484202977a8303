import { describe, expect, it } from 'vitest';
import { onedriveNameProblem } from '../providers/onedrive/names';
import type { ProviderFeatures } from '../providers/types';
import { planDestinationNames, type IncomingItem } from './destination-names';

const features = (overrides: Partial<ProviderFeatures> = {}): ProviderFeatures => ({
  serverSideCopy: true,
  serverSideMove: true,
  changeFeed: true,
  resumableUpload: true,
  hashTypes: ['quickxor'],
  caseInsensitive: true,
  duplicateNamesAllowed: false,
  maxFileSize: 1000,
  thumbnails: false,
  maxPathLength: 30,
  ...overrides,
});
const onedrive = { nameProblem: onedriveNameProblem, features: features() };
const file = (name: string, size = 10): IncomingItem => ({ name, kind: 'file', size });
const folder = (name: string): IncomingItem => ({ name, kind: 'folder', size: null });
const at = (children: Array<[string, 'file' | 'folder']> = [], pathLength = 0) => ({
  children: children.map(([name, kind]) => ({ name, kind })),
  pathLength,
});

describe('planDestinationNames', () => {
  it('keeps free names, and renames refused ones reversibly, saying why', () => {
    const [plain, refused] = planDestinationNames(
      onedrive,
      at(),
      [file('notes.txt'), file('a:b?.txt')],
      'rename',
    );
    expect(plain).toEqual({ outcome: 'write', name: 'notes.txt', renamed: null, existing: null });
    expect(refused).toMatchObject({ outcome: 'write', renamed: { from: 'a:b?.txt' }, existing: null });
    const name = (refused as { name: string }).name;
    expect(onedriveNameProblem(name)).toBeNull();
    expect(name).not.toBe('a:b?.txt');
  });

  it('refuses files over the size limit and paths over the length limit', () => {
    const plans = planDestinationNames(
      onedrive,
      at([], 20),
      [file('big.bin', 1001), file('a-long-name.txt')],
      'rename',
    );
    expect(plans[0]).toMatchObject({ outcome: 'refuse', reason: expect.stringContaining('1001 > 1000') });
    expect(plans[1]).toMatchObject({ outcome: 'refuse', reason: 'path too long: 36 > 30' });
  });

  it('compares names as the destination does (case-insensitively here, NFC always)', () => {
    const existing = at([
      ['Report.PDF', 'file'],
      ['Cafe\u0301', 'folder'],
    ]);
    const plans = planDestinationNames(onedrive, existing, [file('report.pdf'), folder('Café')], 'rename');
    expect(plans[0]).toMatchObject({ outcome: 'write', name: 'report (2).pdf' });
    expect(plans[1]).toMatchObject({ outcome: 'write', name: 'Café', existing: 'merge' });
    const exact = { nameProblem: () => null, features: features({ caseInsensitive: false }) };
    expect(planDestinationNames(exact, existing, [file('report.pdf')], 'rename')[0]).toMatchObject({
      name: 'report.pdf',
      existing: null,
    });
  });

  it('follows the policy: rename numbers, replace replaces a file, skip leaves out, none asks', () => {
    const existing = at([
      ['a.txt', 'file'],
      ['a (2).txt', 'file'],
      ['dir', 'file'],
    ]);
    const items = [file('a.txt'), folder('dir')];
    expect(planDestinationNames(onedrive, existing, items, 'rename')).toMatchObject([
      { outcome: 'write', name: 'a (3).txt', renamed: { from: 'a.txt' } },
      { outcome: 'write', name: 'dir (2)' },
    ]);
    expect(planDestinationNames(onedrive, existing, items, 'replace')).toMatchObject([
      { outcome: 'write', name: 'a.txt', existing: 'replace' },
      { outcome: 'write', name: 'dir (2)', renamed: { reason: 'a file has this name there' } },
    ]);
    expect(planDestinationNames(onedrive, existing, items, 'skip')).toMatchObject([
      { outcome: 'skip' },
      { outcome: 'skip' },
    ]);
    expect(planDestinationNames(onedrive, existing, items, null)).toEqual([
      { outcome: 'decide', name: 'a.txt' },
      { outcome: 'decide', name: 'dir' },
    ]);
  });

  it('never lets two items of the batch meet under one name, whatever the policy', () => {
    const plans = planDestinationNames(
      onedrive,
      at(),
      [file('A.txt'), file('a.txt'), file('a.TXT')],
      'replace',
    );
    expect(plans.map((plan) => (plan as { name: string }).name)).toEqual(['A.txt', 'a (2).txt', 'a (3).TXT']);
  });
});
