/** Helpers that answer with a File resource masked by the request's `fields`. */
import type { RequestContext } from '../shared/http';
import type { DriveApi } from './context';
import { DEFAULT_FILE_FIELDS, FILE_SCHEMA, applyMask, maskFor, type Mask } from './fields';
import { fileResource } from './resource';
import type { DriveStore, FileRecord } from './store';

/** The File mask of a request (`fields`, or Drive's default subset); 400 when invalid. */
export const fileMask = (fields: string | null): Mask => maskFor(fields, FILE_SCHEMA, DEFAULT_FILE_FIELDS);

/** Sends `record` as a File resource with `mask` applied. */
export function respondFile(
  api: DriveApi,
  ctx: RequestContext,
  store: DriveStore,
  record: FileRecord,
  mask: Mask,
  status = 200,
): void {
  api.respond(ctx, status, applyMask(fileResource(record, api.renderContext(ctx, store), mask), mask));
}
