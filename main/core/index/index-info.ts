/** What the settings page shows of the index: where it lives and how big it is. */
import { statSync } from 'node:fs';
import type { IndexInfoDto } from '../../../common/dto';
import type { SqliteDatabase } from './database';

/**
 * The index's size on disk (`indexFile` and its write-ahead log; a missing file counts 0) and its
 * number of items over every account. Reads only.
 */
export function indexSize(db: SqliteDatabase, indexFile: string): Pick<IndexInfoDto, 'indexBytes' | 'items'> {
  const bytes = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return {
    indexBytes: bytes(indexFile) + bytes(`${indexFile}-wal`),
    items: db.prepare('SELECT count(*) FROM items').pluck().get() as number,
  };
}
