import { describe, expect, it } from 'vitest';
import type { ItemDto } from '../../../common/dto';
import { buildBreadcrumbs, parentFolderId } from './breadcrumbs';

function folder(id: string, name: string, parentId: string | null): ItemDto {
  return {
    accountId: 'acc',
    id,
    parentId,
    name,
    kind: 'folder',
    size: null,
    modifiedAt: null,
    mimeType: null,
    targetId: null,
  };
}

const root = folder('root', '/home/ann/Documents', null);
const work = folder('w', 'Work', 'root');
const year = folder('y', '2024', 'w');

describe('buildBreadcrumbs', () => {
  it('shows the root as the account name and marks it current at the root', () => {
    expect(buildBreadcrumbs('Docs', root, [])).toEqual([{ id: 'root', label: 'Docs', current: true }]);
  });
  it('walks root first down to the current folder', () => {
    expect(buildBreadcrumbs('Docs', year, [root, work])).toEqual([
      { id: 'root', label: 'Docs', current: false },
      { id: 'w', label: 'Work', current: false },
      { id: 'y', label: '2024', current: true },
    ]);
  });
});

describe('parentFolderId', () => {
  it('leads to the parent, and nowhere from the root', () => {
    expect(parentFolderId(year)).toBe('w');
    expect(parentFolderId(root)).toBeNull();
    expect(parentFolderId(undefined)).toBeNull();
  });
});
