/**
 * Create, update and copy semantics shared by the metadata routes and every upload type. Each
 * operation is split in two: `prepare*` validates everything that does not depend on the bytes (so a
 * bad request fails before an upload is read), `commit*` applies it once the content (if any) is stored.
 * A commit that fails (quota, conversion) leaves the drive unchanged; the caller discards the blob.
 */
import { readFile } from 'node:fs/promises';
import type { DriveApi } from './context';
import { contentSize, digestBuffer, type Blob, type Content } from './content';
import {
  badRequest,
  cannotAddParent,
  cannotCopyFile,
  conversionNotSupported,
  duplicateId,
  fileNotFound,
  insufficientFilePermissions,
  invalidParameter,
} from './errors';
import { importableSource } from './export';
import { isFileIdShape, newFileId } from './ids';
import { mergeProperties, type FileInput } from './metadata';
import { FOLDER, SHORTCUT, detectMime, isBinaryMime, nativeDocType } from './mime';
import type { DriveStore, FileRecord } from './store';

const EMPTY = Buffer.alloc(0);
const EMPTY_CONTENT: Content = { kind: 'bytes', data: EMPTY, digests: digestBuffer(EMPTY) };
const IMPORT_LIMIT = 10 * 1024 * 1024;

export interface PreparedCreate {
  input: FileInput;
  id: string;
  parent: string;
  name: string;
}

/** Validates a create: id (generated or free), exactly one existing parent folder, shortcut target. */
export function prepareCreate(store: DriveStore, input: FileInput): PreparedCreate {
  let id: string;
  if (input.id !== undefined) {
    if (store.has(input.id)) throw duplicateId();
    if (!store.generatedIds.has(input.id) && !isFileIdShape(input.id))
      throw invalidParameter('id', 'The provided file ID is not usable.');
    id = input.id;
  } else {
    id = newFileId();
  }
  const parents = input.parents ?? [];
  if (parents.length > 1) throw cannotAddParent();
  const parent = parents.length === 1 ? store.requireFolder(parents[0] as string).id : store.root.id;
  if (input.mimeType === SHORTCUT) {
    if (!input.shortcutTargetId)
      throw badRequest('A shortcut must have a target: shortcutDetails.targetId is required.');
    store.require(input.shortcutTargetId);
  }
  return { input, id, parent, name: input.name ?? 'Untitled' };
}

/** Reads an uploaded text blob for an import into a native document. */
async function importText(blob: Blob, mediaMime: string): Promise<string> {
  if (!importableSource(mediaMime) || blob.size > IMPORT_LIMIT) throw conversionNotSupported();
  return (await readFile(blob.path)).toString('utf8');
}

/**
 * Creates the item. `blob` is the uploaded content (not yet referenced) and `mediaMime` its declared
 * type; without a blob, a binary file is created empty.
 */
export async function commitCreate(
  api: DriveApi,
  store: DriveStore,
  prepared: PreparedCreate,
  blob?: Blob,
  mediaMime?: string,
): Promise<FileRecord> {
  const { input } = prepared;
  if (store.has(prepared.id)) throw duplicateId();
  const now = api.clock.now();
  const mimeType =
    input.mimeType ?? (blob ? detectMime(mediaMime, prepared.name) : 'application/octet-stream');
  let content: Content | undefined;
  const native = nativeDocType(mimeType);
  if (mimeType === FOLDER || mimeType === SHORTCUT) {
    if (blob) throw badRequest('Media upload is not supported for folders and shortcuts.');
  } else if (native) {
    content = {
      kind: 'native',
      text: blob ? await importText(blob, detectMime(mediaMime, prepared.name)) : '',
    };
  } else if (!isBinaryMime(mimeType)) {
    // Other Google types (forms, drawings...) are created empty and cannot be uploaded to.
    if (blob) throw conversionNotSupported();
  } else {
    content = blob ? { kind: 'blob', blob } : EMPTY_CONTENT;
    store.ensureRoom(contentSize(content));
  }
  const target = input.shortcutTargetId === undefined ? undefined : store.require(input.shortcutTargetId);
  store.generatedIds.delete(prepared.id);
  const record = store.create({
    id: prepared.id,
    name: prepared.name,
    mimeType,
    parent: prepared.parent,
    createdTime: input.createdTime ?? now,
    modifiedTime: input.modifiedTime ?? now,
    content,
    explicitlyTrashed: input.trashed ?? false,
    viewedByMeTime: input.viewedByMeTime,
    starred: input.starred ?? false,
    description: input.description ?? undefined,
    properties: mergeProperties(undefined, input.properties),
    appProperties: mergeProperties(undefined, input.appProperties),
    shortcutTarget:
      mimeType === SHORTCUT && target ? { id: target.id, mimeType: target.mimeType } : undefined,
    originalFilename: blob ? (input.originalFilename ?? prepared.name) : input.originalFilename,
    folderColorRgb: input.folderColorRgb,
  });
  return record;
}

export interface PreparedUpdate {
  record: FileRecord;
  input: FileInput;
  /** The parent after addParents/removeParents; undefined = unchanged. */
  parent: string | null | undefined;
}

const splitIds = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);

/** Validates an update (metadata and parent changes); the root folder cannot be changed. */
export function prepareUpdate(
  store: DriveStore,
  fileId: string,
  input: FileInput,
  addParents: string | null,
  removeParents: string | null,
): PreparedUpdate {
  const record = store.require(fileId);
  const add = splitIds(addParents);
  const remove = splitIds(removeParents);
  const changesSomething = Object.keys(input).length > 0 || add.length > 0 || remove.length > 0;
  if (record === store.root && changesSomething) throw insufficientFilePermissions();
  const parent = add.length > 0 || remove.length > 0 ? store.resolveParents(record, add, remove) : undefined;
  if (input.mimeType !== undefined && input.mimeType !== record.mimeType) {
    if (!isBinaryMime(input.mimeType) || !isBinaryMime(record.mimeType) || record.mimeType === FOLDER)
      throw badRequest('The MIME type of this file cannot be changed.');
  }
  return { record, input, parent };
}

/** Applies an update: metadata (one change), new content, move, then trash state. */
export async function commitUpdate(
  api: DriveApi,
  store: DriveStore,
  prepared: PreparedUpdate,
  blob?: Blob,
  mediaMime?: string,
): Promise<FileRecord> {
  const { record, input } = prepared;
  if (!store.has(record.id)) throw fileNotFound(record.id);
  const now = api.clock.now();
  let content: Content | undefined;
  if (blob) {
    if (record.mimeType === FOLDER || record.mimeType === SHORTCUT)
      throw badRequest('Media upload is not supported for folders and shortcuts.');
    if (nativeDocType(record.mimeType)) {
      content = { kind: 'native', text: await importText(blob, detectMime(mediaMime, record.name)) };
    } else {
      content = { kind: 'blob', blob };
      const old = record.content ? contentSize(record.content) : 0;
      store.ensureRoom(blob.size - old);
    }
  }
  const metadataChanged = Object.keys(input).some((k) => k !== 'trashed');
  if (metadataChanged) {
    store.update(record, (r) => {
      if (input.name !== undefined && input.name !== r.name) {
        r.name = input.name;
        r.modifiedTime = now;
      }
      if (input.description !== undefined) r.description = input.description ?? undefined;
      if (input.starred !== undefined) r.starred = input.starred;
      if (input.mimeType !== undefined) r.mimeType = input.mimeType;
      if (input.modifiedTime !== undefined) r.modifiedTime = input.modifiedTime;
      if (input.viewedByMeTime !== undefined) r.viewedByMeTime = input.viewedByMeTime;
      if (input.originalFilename !== undefined) r.originalFilename = input.originalFilename;
      if (input.folderColorRgb !== undefined) r.folderColorRgb = input.folderColorRgb;
      r.properties = mergeProperties(r.properties, input.properties);
      r.appProperties = mergeProperties(r.appProperties, input.appProperties);
    });
  }
  if (content) {
    if (blob && !nativeDocType(record.mimeType) && mediaMime && input.mimeType === undefined) {
      const detected = detectMime(mediaMime, record.name);
      if (detected !== 'application/octet-stream' && detected !== record.mimeType)
        store.update(record, (r) => (r.mimeType = detected));
    }
    store.replaceContent(record, content, input.modifiedTime ?? now);
  }
  if (prepared.parent !== undefined && prepared.parent !== record.parent) store.move(record, prepared.parent);
  if (input.trashed !== undefined) store.setTrashed(record, input.trashed);
  return record;
}

/** files.copy: files only (folders -> 403 cannotCopyFile); the copy shares the content. */
export function copyItem(api: DriveApi, store: DriveStore, fileId: string, input: FileInput): FileRecord {
  const source = store.require(fileId);
  if (source.mimeType === FOLDER) throw cannotCopyFile();
  if (input.mimeType !== undefined && input.mimeType !== source.mimeType) throw conversionNotSupported();
  const sourceParent = source.parent !== null && store.has(source.parent) ? source.parent : store.root.id;
  const prepared = prepareCreate(store, { ...input, parents: input.parents ?? [sourceParent] });
  const content = source.content;
  if (content && isBinaryMime(source.mimeType)) store.ensureRoom(contentSize(content));
  const now = api.clock.now();
  store.generatedIds.delete(prepared.id);
  return store.create({
    id: prepared.id,
    name: input.name ?? `Copy of ${source.name}`,
    mimeType: source.mimeType,
    parent: prepared.parent,
    createdTime: now,
    modifiedTime: input.modifiedTime ?? now,
    content,
    explicitlyTrashed: input.trashed ?? false,
    starred: input.starred ?? false,
    description: input.description === undefined ? source.description : (input.description ?? undefined),
    properties: mergeProperties(source.properties, input.properties),
    appProperties: mergeProperties(source.appProperties, input.appProperties),
    shortcutTarget: source.shortcutTarget,
    originalFilename: input.originalFilename ?? source.originalFilename,
  });
}
