import { describe, expect, it } from 'vitest';
import { DriveError } from './errors';
import { compileQuery, namePrefixMatch, parentConstraint, parseQuery } from './query';
import type { FileRecord } from './store';

const record = (fields: Partial<FileRecord>): FileRecord =>
  ({
    id: '1x',
    seq: 1,
    name: 'Quarterly Report 2024.pdf',
    mimeType: 'application/pdf',
    parent: 'P',
    createdTime: Date.UTC(2024, 0, 1),
    modifiedTime: Date.UTC(2024, 5, 1, 12),
    viewedByMeTime: undefined,
    explicitlyTrashed: false,
    trashed: false,
    starred: true,
    version: 1,
    changeSeq: 1,
    content: undefined,
    headRevision: 1,
    description: 'numbers',
    properties: { k: 'v' },
    appProperties: undefined,
    shortcutTarget: undefined,
    originalFilename: undefined,
    folderColorRgb: undefined,
    ...fields,
  }) as FileRecord;

const matches = (q: string, r = record({})) =>
  compileQuery(parseQuery(q), { rootId: 'ROOT', email: 'me@x.com' })(r);

describe('q', () => {
  it('evaluates terms and boolean structure', () => {
    expect(matches("'P' in parents and trashed = false")).toBe(true);
    expect(matches("'root' in parents", record({ parent: 'ROOT' }))).toBe(true);
    expect(matches("name contains 'report' and mimeType contains 'pdf'")).toBe(true);
    expect(matches("not starred = true or name = 'x'")).toBe(false);
    expect(matches("(name = 'x' or name != 'y') and 'me' in owners")).toBe(true);
    expect(matches("modifiedTime > '2024-06-01T11:59:59' and modifiedTime < '2024-06-01T12:00:01Z'")).toBe(
      true,
    );
    expect(matches("modifiedTime >= '2024-06-02'")).toBe(false);
    expect(matches("properties has { key='k' and value='v' }")).toBe(true);
    expect(matches("fullText contains 'numb'")).toBe(true);
    expect(matches("name = 'it\\'s'", record({ name: "it's" }))).toBe(true);
    expect(matches("name = 'x' OR trashed = false")).toBe(true);
  });

  it('uses prefix matching for name contains (whole name or a word)', () => {
    expect(namePrefixMatch('HelloWorld', 'hello')).toBe(true);
    expect(namePrefixMatch('HelloWorld', 'world')).toBe(false);
    expect(namePrefixMatch('Hello World', 'wor')).toBe(true);
    expect(namePrefixMatch('AC/DC - Back', 'dc')).toBe(true);
  });

  it('refuses invalid queries with 400 invalid on q', () => {
    for (const q of [
      "name === 'x'",
      'name contains x',
      "size > '3'",
      'trashed = maybe',
      "'a' in children",
      "name = 'open",
      "(name = 'x'",
      "modifiedTime > 'yesterday'",
      "fullText = 'x'",
    ]) {
      let error: unknown;
      try {
        parseQuery(q);
      } catch (e) {
        error = e;
      }
      expect(error, q).toBeInstanceOf(DriveError);
      expect((error as DriveError).errors[0]).toMatchObject({ reason: 'invalid', location: 'q' });
    }
  });

  it('finds a top-level parent constraint', () => {
    expect(parentConstraint(parseQuery("trashed = false and 'F' in parents"), 'R')).toBe('F');
    expect(parentConstraint(parseQuery("'root' in parents"), 'R')).toBe('R');
    expect(parentConstraint(parseQuery("'F' in parents or trashed = true"), 'R')).toBeUndefined();
  });
});
