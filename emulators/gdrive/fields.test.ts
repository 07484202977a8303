import { describe, expect, it } from 'vitest';
import type { DriveError } from './errors';
import { FILE_LIST_SCHEMA, applyMask, maskFor, parseFields } from './fields';

describe('field masks', () => {
  const value = {
    kind: 'drive#fileList',
    nextPageToken: 't',
    files: [
      {
        id: '1',
        name: 'a',
        capabilities: { canEdit: true, canCopy: false },
        owners: [{ emailAddress: 'e', me: true }],
      },
    ],
  };

  it('selects nested fields with parentheses and slashes, and wildcards', () => {
    expect(applyMask(value, parseFields('nextPageToken,files(id,capabilities/canEdit)'))).toEqual({
      nextPageToken: 't',
      files: [{ id: '1', capabilities: { canEdit: true } }],
    });
    expect(applyMask(value, parseFields('files/owners(emailAddress)'))).toEqual({
      files: [{ owners: [{ emailAddress: 'e' }] }],
    });
    expect(applyMask(value, parseFields('files(*)'))).toEqual({ files: value.files });
    expect(applyMask(value, parseFields('*'))).toEqual(value);
    expect(applyMask(value, parseFields('files(id),files(name)'))).toEqual({
      files: [{ id: '1', name: 'a' }],
    });
  });

  it('validates names against the schema and rejects syntax errors', () => {
    const reason = (fields: string) => {
      try {
        maskFor(fields, FILE_LIST_SCHEMA, '');
        return 'ok';
      } catch (error) {
        return (error as DriveError).message;
      }
    };
    expect(reason('files(id,name),nextPageToken')).toBe('ok');
    expect(reason('files(appProperties/anything)')).toBe('ok');
    expect(reason('files(nope)')).toBe('Invalid field selection nope');
    expect(reason('files(id)(name)')).toMatch(/Invalid field selection/);
    expect(reason('files(id')).toMatch(/Invalid field selection/);
    expect(reason('files(name(x))')).toBe('Invalid field selection name');
  });
});
