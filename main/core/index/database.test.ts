import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Migration } from './database';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-db-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const first: Migration = (db) => db.exec('CREATE TABLE t (a INTEGER)');
const second: Migration = (db) => db.exec('ALTER TABLE t ADD COLUMN b TEXT');

describe('openDatabase', () => {
  it('applies numbered migrations once and records user_version, in WAL mode', () => {
    const file = path.join(dir, 'x.db');
    const db = openDatabase(file, { migrations: [first], synchronous: 'FULL' });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.prepare('INSERT INTO t (a) VALUES (1)').run();
    db.close();

    const again = openDatabase(file, { migrations: [first, second], synchronous: 'NORMAL' });
    expect(again.pragma('user_version', { simple: true })).toBe(2);
    expect(again.prepare('SELECT a, b FROM t').all()).toEqual([{ a: 1, b: null }]);
    again.close();
  });

  it('rolls back every step of a failing migration batch', () => {
    const file = path.join(dir, 'y.db');
    const broken: Migration = (db) => db.exec('THIS IS NOT SQL');
    expect(() => openDatabase(file, { migrations: [first, broken], synchronous: 'NORMAL' })).toThrow();
    const db = openDatabase(file, { migrations: [], synchronous: 'NORMAL' });
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const file = path.join(dir, 'z.db');
    openDatabase(file, { migrations: [first, second], synchronous: 'NORMAL' }).close();
    expect(() => openDatabase(file, { migrations: [first], synchronous: 'NORMAL' })).toThrow(/newer Skyfold/);
  });
});
