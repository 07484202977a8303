/**
 * Validates File metadata sent in create, update and copy bodies the way Google's JSON front end
 * does: unparsable JSON -> 400 parseError; an unknown field -> 400 `Invalid JSON payload received.
 * Unknown name "x": Cannot find field.`; a wrong type -> 400 `Invalid value at 'resource.x'`; an
 * output-only field -> 403 fieldNotWritable (`kind` is tolerated); `parents` in an update -> 403
 * fieldNotWritable (use addParents / removeParents).
 */
import { fieldNotWritable, invalidJson, parseError } from './errors';
import { FILE_SCHEMA } from './fields';

export interface FileInput {
  id?: string;
  name?: string;
  mimeType?: string;
  parents?: string[];
  description?: string | null;
  starred?: boolean;
  trashed?: boolean;
  createdTime?: number;
  modifiedTime?: number;
  viewedByMeTime?: number;
  properties?: Record<string, string | null>;
  appProperties?: Record<string, string | null>;
  shortcutTargetId?: string;
  originalFilename?: string;
  folderColorRgb?: string;
}

export type MetadataMode = 'create' | 'update' | 'copy';

const STRINGS = ['id', 'name', 'mimeType', 'description', 'originalFilename', 'folderColorRgb'] as const;
const BOOLEANS = ['starred', 'trashed'] as const;
const TIMES = ['createdTime', 'modifiedTime', 'viewedByMeTime'] as const;
/** Writable fields the emulator accepts and ignores. */
const IGNORED = new Set([
  'kind',
  'contentHints',
  'contentRestrictions',
  'copyRequiresWriterPermission',
  'viewersCanCopyContent',
  'writersCanShare',
  'inheritedPermissionsDisabled',
  'modifiedByMeTime',
  'driveId',
  'teamDriveId',
  'downloadRestrictions',
]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const typeError = (field: string, type: string, value: unknown) =>
  invalidJson(`Invalid value at 'resource.${field}' (${type}), ${JSON.stringify(value)}`);

/** Parses a metadata body (empty = `{}`). */
export function parseMetadataBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw parseError();
  }
}

/** Checks a parsed metadata object; throws the Drive error a real request would get. */
export function validateFileInput(raw: unknown, mode: MetadataMode): FileInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidJson('Root element must be a message.');
  const input: FileInput = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(field in FILE_SCHEMA))
      throw invalidJson(`Unknown name ${JSON.stringify(field)}: Cannot find field.`);
    if (value === null && field !== 'description') continue;
    if ((STRINGS as readonly string[]).includes(field)) {
      if (typeof value !== 'string') throw typeError(field, 'TYPE_STRING', value);
      if (field === 'id' && mode === 'update') throw fieldNotWritable();
      (input as Record<string, unknown>)[field] = value;
    } else if (field === 'description') {
      if (value !== null && typeof value !== 'string') throw typeError(field, 'TYPE_STRING', value);
      input.description = value as string | null;
    } else if ((BOOLEANS as readonly string[]).includes(field)) {
      if (typeof value !== 'boolean') throw typeError(field, 'TYPE_BOOL', value);
      input[field as (typeof BOOLEANS)[number]] = value;
    } else if ((TIMES as readonly string[]).includes(field)) {
      if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value)))
        throw typeError(field, 'type.googleapis.com/google.protobuf.Timestamp', value);
      if (field === 'createdTime' && mode === 'update') throw fieldNotWritable();
      input[field as (typeof TIMES)[number]] = Date.parse(value);
    } else if (field === 'parents') {
      if (mode === 'update')
        throw fieldNotWritable(
          'The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.',
        );
      if (!Array.isArray(value) || value.some((p) => typeof p !== 'string'))
        throw typeError(field, 'TYPE_STRING', value);
      input.parents = value as string[];
    } else if (field === 'properties' || field === 'appProperties') {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(field, 'TYPE_MESSAGE', value);
      for (const v of Object.values(value as object)) {
        if (v !== null && typeof v !== 'string') throw typeError(`${field}.value`, 'TYPE_STRING', v);
      }
      input[field] = value as Record<string, string | null>;
    } else if (field === 'shortcutDetails') {
      if (mode === 'update') throw fieldNotWritable();
      const target = (value as { targetId?: unknown }).targetId;
      if (typeof value !== 'object' || (target !== undefined && typeof target !== 'string'))
        throw typeError(field, 'TYPE_MESSAGE', value);
      if (target !== undefined) input.shortcutTargetId = target as string;
    } else if (!IGNORED.has(field)) {
      throw fieldNotWritable();
    }
  }
  return input;
}

/** Applies a properties patch: null values delete keys. Returns undefined when nothing is left. */
export function mergeProperties(
  current: Record<string, string> | undefined,
  patch: Record<string, string | null> | undefined,
): Record<string, string> | undefined {
  if (!patch) return current;
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}
