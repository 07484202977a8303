/**
 * Graph writes on driveItems (every one takes a write token when throttling is on: 429
 * `activityLimitReached`; names are checked by names.ts; every change goes to the change log):
 *
 *   PUT {parent}:/{name}:/content, PUT root:/a/b/name:/content   simple upload of a new file (missing
 *       folders of the path are created (?)); PUT items/{id}/content replaces a file by id. At most
 *       250 MB (262,144,000 bytes; more: 413 `invalidRequest`/`maxFileSizeExceeded` (?)).
 *       `?@microsoft.graph.conflictBehavior=fail|replace|rename`, default `replace`; 201 with the new
 *       driveItem, 200 when an existing file was replaced (same id, new eTag/cTag). A folder holding the
 *       name: 409 `nameAlreadyExists` unless `rename` (?). `If-Match` -> 412. Quota -> 507.
 *   POST {folder}/children   `{name, folder: {}, "@microsoft.graph.conflictBehavior"}` (default `fail`:
 *       409 `nameAlreadyExists` "Name already exists"; `rename`: "name 1"; `replace`: the item holding
 *       the name goes to the recycle bin first (?)), optional `fileSystemInfo`, `description` -> 201.
 *       Without a `folder` facet: 400 (?: Graph can create files from `@microsoft.graph.sourceUrl`).
 *   PATCH {item}   `name` (case-only renames too), `parentReference {id | path}` (moves; `driveId` of
 *       another drive: 400 (?)), `fileSystemInfo {createdDateTime, lastModifiedDateTime}`, `description`
 *       -> 200 with the driveItem. Taken name: 409 `nameAlreadyExists` (`?@microsoft.graph.conflictBehavior=
 *       rename|replace` honoured (?)). A folder into itself or below itself: 400 `invalidRequest` (?).
 *       The root: 400 `invalidRequest` (?). `If-Match` -> 412.
 *   DELETE {item}   204; the item and its subtree go to the recycle bin (`quota.deleted`), then read as
 *       404. The root: 400 `invalidRequest` (?). `If-Match` -> 412.
 *   POST items/{id}/restore   `{parentReference?: {id | path}, name?}` (driveItem-restore, OneDrive
 *       Personal) -> 200 with the driveItem, back with its subtree and the same ids, in the folder it
 *       was deleted from (or `parentReference`) under its name (or `name`). Only the recycle bin's
 *       entries: an item inside a deleted folder, a live item, an unknown id: 404 `itemNotFound` (?).
 *       The name taken: 409 `nameAlreadyExists`; the folder it was in deleted too: 404 (?).
 *   POST {item}/copy   `{parentReference: {driveId?, id | path}?, name?}` -> 202 + `Location` (copy.ts).
 *       Refused upfront: a taken name (409 `nameAlreadyExists`: Personal ignores conflictBehavior on
 *       copy, driveItem-copy docs), no space (507 (?)), a folder into itself (400 (?)), the root (400 (?)).
 */
import * as fs from 'node:fs/promises';
import { writeBodyToFile } from '../shared/body-file';
import { drainBody, sendEmpty } from '../shared/http';
import { findItem, writeTarget, type WriteTarget } from './addressing';
import { blobContent, mimeTypeOf, type Blob } from './content';
import {
  checkIfMatch,
  readJson,
  sendDriveItem,
  takeWrite,
  type DriveRequest,
  type GraphDeps,
} from './context';
import { GraphError, invalidRequest, itemNotFound, nameAlreadyExists, quotaLimitReached } from './errors';
import { checkName, conflictBehavior, freeName, type ConflictBehavior } from './names';
import { seconds, type FileItem, type FolderItem, type Item, type OnedriveStore } from './store';

/** The largest simple upload: 250 MB. */
export const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;

const rootRefused = () => invalidRequest('The root of the drive cannot be changed.');

const tooLarge = () =>
  new GraphError(
    413,
    'invalidRequest',
    'The request is too large for a simple upload.',
    {},
    'maxFileSizeExceeded',
  );

/** `@microsoft.graph.conflictBehavior` from the query (`@name.conflictBehavior`, the old spelling, too). */
export function queryConflict(req: DriveRequest, fallback: ConflictBehavior): ConflictBehavior {
  const query = req.ctx.url.searchParams;
  return conflictBehavior(
    query.get('@microsoft.graph.conflictBehavior') ?? query.get('@name.conflictBehavior') ?? undefined,
    fallback,
  );
}

/** `fileSystemInfo {createdDateTime?, lastModifiedDateTime?}` as times (whole seconds). */
export function parseFileSystemInfo(value: unknown): { created?: number; modified?: number } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid fileSystemInfo.');
  const info = value as Record<string, unknown>;
  const time = (v: unknown) => {
    if (v === undefined || v === null) return undefined;
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) throw invalidRequest(`Invalid date '${String(v)}' in fileSystemInfo.`);
    return seconds(ms);
  };
  return { created: time(info.createdDateTime), modified: time(info.lastModifiedDateTime) };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid value for '${name}'.`);
  return value;
}

/** Checks the names a write by path would create (missing folders, then the file). */
export function checkTarget(store: OnedriveStore, target: WriteTarget): void {
  let path = store.pathOf(target.folder);
  for (const name of [...target.missing, target.name]) {
    path = `${path}/${name}`;
    checkName(name, path, true);
  }
}

/** Creates the missing folders of a write target; returns the folder the item goes to. */
export function ensureFolders(store: OnedriveStore, target: WriteTarget): FolderItem {
  let folder = target.folder;
  for (const name of target.missing) {
    const existing = store.child(folder, name);
    if (existing && existing.kind !== 'folder') throw nameAlreadyExists();
    folder = existing ?? store.createFolder(folder, name);
  }
  return folder;
}

/** Where a new file's bytes go: a new item, or the file they replace. */
export interface FilePlan {
  folder: FolderItem;
  name: string;
  replace?: FileItem;
}

/**
 * Decides a file write against the tree as it is now: conflicts (`fail`: 409 with `conflictMessage`,
 * `rename`: numbered name, `replace`: the file is replaced; a folder is never replaced (?)) and quota.
 * `fileId`: a file to replace whatever its name (a session created on it); gone, the name decides.
 */
export function planFile(
  store: OnedriveStore,
  folder: FolderItem,
  name: string,
  size: number,
  conflict: ConflictBehavior,
  options: { fileId?: string; conflictMessage?: string } = {},
): FilePlan {
  let plan: FilePlan = { folder, name };
  const byId = options.fileId ? store.get(options.fileId) : undefined;
  if (byId && byId.kind === 'file')
    plan = { folder: byId.parent as FolderItem, name: byId.name, replace: byId };
  else {
    const existing = store.child(folder, name);
    if (existing) {
      if (conflict === 'fail' || (conflict === 'replace' && existing.kind !== 'file'))
        throw nameAlreadyExists(options.conflictMessage);
      if (conflict === 'rename')
        plan = { folder, name: freeName(name, false, (c) => store.child(folder, c) !== undefined) };
      else plan = { folder, name, replace: existing as FileItem };
    }
  }
  const growth = size - (plan.replace ? plan.replace.content.size : 0);
  if (growth > 0 && growth > store.remainingBytes()) throw quotaLimitReached();
  return plan;
}

/** Carries out a plan with an adopted blob; `created` tells 201 from 200. */
export async function applyPlan(
  store: OnedriveStore,
  deps: GraphDeps,
  plan: FilePlan,
  blob: Blob,
  extras: { fsCreated?: number; fsModified?: number; description?: string } = {},
): Promise<{ item: FileItem; created: boolean }> {
  let item: FileItem;
  let created: boolean;
  if (plan.replace) {
    const old = store.replaceContent(plan.replace, blobContent(blob), mimeTypeOf(plan.replace.name));
    await deps.blobs.release(old);
    item = plan.replace;
    created = false;
  } else {
    item = store.createFile(plan.folder, plan.name, mimeTypeOf(plan.name), blobContent(blob));
    created = true;
  }
  if (extras.fsCreated !== undefined) item.fsCreated = extras.fsCreated;
  if (extras.fsModified !== undefined) item.fsModified = extras.fsModified;
  if (extras.description !== undefined) item.description = extras.description;
  return { item, created };
}

// ---- PUT content ---------------------------------------------------------------------------------------

export async function putContent(req: DriveRequest): Promise<void> {
  const { ctx, store, deps } = req;
  let target: WriteTarget;
  let fileId: string | undefined;
  let conflict: ConflictBehavior;
  // A declared size over the limit is refused before the body (which is then discarded, unread).
  if (Number(ctx.req.headers['content-length']) > SIMPLE_UPLOAD_LIMIT) throw tooLarge();
  try {
    takeWrite(deps, store);
    conflict = queryConflict(req, 'replace');
    if (req.address.path && req.address.path.length > 0) {
      target = writeTarget(store, req.address);
      checkTarget(store, target);
      checkIfMatch(ctx, target.existing);
      if (target.existing && conflict === 'fail') throw nameAlreadyExists();
    } else {
      const item = findItem(store, req.address);
      if (item.kind !== 'file') throw invalidRequest('Cannot upload content to a folder.');
      checkIfMatch(ctx, item);
      target = { folder: item.parent as FolderItem, missing: [], name: item.name, existing: item };
      fileId = item.id;
    }
  } catch (error) {
    await drainBody(ctx.body);
    throw error;
  }
  const temp = deps.blobs.tempFile();
  try {
    const written = await writeBodyToFile(temp, 'w', ctx.body, 0, SIMPLE_UPLOAD_LIMIT);
    if (!written.complete || ctx.bodyCut) throw new Error('the upload was cut');
    if (written.tooLarge) throw tooLarge();
    let plan: FilePlan;
    if (target.missing.length > 0) {
      if (written.size > store.remainingBytes()) throw quotaLimitReached();
      plan = { folder: ensureFolders(store, target), name: target.name };
    } else plan = planFile(store, target.folder, target.name, written.size, conflict, { fileId });
    const blob = await deps.blobs.adopt(temp);
    const { item, created } = await applyPlan(store, deps, plan, blob);
    sendDriveItem(req, created ? 201 : 200, item);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

// ---- POST children -------------------------------------------------------------------------------------

export async function createChild(req: DriveRequest): Promise<void> {
  const { ctx, store, deps } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx);
  const parent = findItem(store, req.address);
  if (parent.kind !== 'folder') throw invalidRequest('The parent item is not a folder.');
  const name = body.name;
  if (typeof name !== 'string') throw invalidRequest("Property 'name' is required.");
  if (typeof body.folder !== 'object' || body.folder === null)
    throw invalidRequest("Only folders can be created here: the 'folder' facet is required.");
  const conflict = conflictBehavior(
    body['@microsoft.graph.conflictBehavior'] ?? body['@name.conflictBehavior'],
    queryConflict(req, 'fail'),
  );
  const info = parseFileSystemInfo(body.fileSystemInfo);
  const description = optionalString(body.description, 'description');
  checkName(name, `${store.pathOf(parent)}/${name}`);
  let finalName = name;
  const existing = store.child(parent, name);
  if (existing) {
    if (conflict === 'fail') throw nameAlreadyExists();
    if (conflict === 'rename')
      finalName = freeName(name, true, (candidate) => store.child(parent, candidate) !== undefined);
    else store.recycle(existing);
  }
  const folder = store.createFolder(parent, finalName);
  if (info.created !== undefined) folder.fsCreated = info.created;
  if (info.modified !== undefined) folder.fsModified = info.modified;
  if (description !== undefined) folder.description = description;
  sendDriveItem(req, 201, folder);
}

// ---- PATCH ------------------------------------------------------------------------------------------------

/** The folder an itemReference names (`id`, or `path` as `/drive/root:/a/b`); 404 when missing. */
export function referencedFolder(store: OnedriveStore, value: unknown): FolderItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest('Invalid parentReference.');
  const ref = value as Record<string, unknown>;
  const driveId = optionalString(ref.driveId, 'parentReference.driveId');
  if (driveId !== undefined && driveId.toLowerCase() !== store.account.driveId)
    throw invalidRequest('Items cannot be moved or copied to another drive.');
  const id = optionalString(ref.id, 'parentReference.id');
  const path = optionalString(ref.path, 'parentReference.path');
  let item: Item | undefined;
  if (id !== undefined) item = store.get(id);
  else if (path !== undefined) {
    const match = /^\/drives?(?:\/[^/]+)?\/root:?(.*)$/.exec(path);
    if (!match) throw invalidRequest(`Invalid path '${path}' in parentReference.`);
    const names = (match[1] as string)
      .replace(/:$/, '')
      .split('/')
      .filter(Boolean)
      .map((n) => decodeURIComponent(n));
    item = store.walk(store.root, names);
  } else throw invalidRequest('The parentReference needs an id or a path.');
  if (!item) throw itemNotFound();
  if (item.kind !== 'folder') throw invalidRequest('The parentReference is not a folder.');
  return item;
}

export async function updateItem(req: DriveRequest): Promise<void> {
  const { ctx, store, deps } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx);
  const item = findItem(store, req.address);
  if (!item.parent) throw rootRefused();
  checkIfMatch(ctx, item);
  const newName = optionalString(body.name, 'name') ?? item.name;
  const parent =
    body.parentReference === undefined ? item.parent : referencedFolder(store, body.parentReference);
  const info = parseFileSystemInfo(body.fileSystemInfo);
  const description = optionalString(body.description, 'description');
  if (item.kind === 'folder' && store.contains(item, parent))
    throw invalidRequest('Cannot move a folder into itself or one of its descendants.');
  let name = newName;
  if (parent !== item.parent || name !== item.name) {
    checkName(name, `${store.pathOf(parent)}/${name}`);
    const holder = store.child(parent, name);
    if (holder && holder !== item) {
      const conflict = queryConflict(req, 'fail');
      if (conflict === 'fail') throw nameAlreadyExists();
      if (conflict === 'rename')
        name = freeName(name, item.kind === 'folder', (c) => {
          const other = store.child(parent, c);
          return other !== undefined && other !== item;
        });
      else store.recycle(holder);
    }
    store.move(item, parent, name);
  }
  if (info.created !== undefined || info.modified !== undefined || description !== undefined)
    store.touch(item, (node) => {
      if (info.created !== undefined) node.fsCreated = info.created;
      if (info.modified !== undefined) node.fsModified = info.modified;
      if (description !== undefined) node.description = description;
    });
  sendDriveItem(req, 200, item);
}

// ---- DELETE ---------------------------------------------------------------------------------------------

export function deleteItem(req: DriveRequest): void {
  const { ctx, store, deps } = req;
  takeWrite(deps, store);
  const item = findItem(store, req.address);
  if (!item.parent) throw rootRefused();
  checkIfMatch(ctx, item);
  store.recycle(item);
  sendEmpty(ctx.res, 204);
}

// ---- restore -------------------------------------------------------------------------------------------

export async function restoreItem(req: DriveRequest): Promise<void> {
  const { ctx, store, deps, address } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx, true);
  const entry = address.base.kind === 'id' && !address.path ? store.recycled(address.base.id) : undefined;
  if (!entry) throw itemNotFound();
  const parent =
    body.parentReference === undefined
      ? store.get(entry.parentId)
      : referencedFolder(store, body.parentReference);
  if (!parent || parent.kind !== 'folder') throw itemNotFound();
  const name = optionalString(body.name, 'name') ?? entry.item.name;
  checkName(name, `${store.pathOf(parent)}/${name}`);
  if (store.child(parent, name)) throw nameAlreadyExists();
  store.restore(entry.item, parent, name);
  sendDriveItem(req, 200, entry.item);
}

// ---- copy -----------------------------------------------------------------------------------------------

export async function copyItem(req: DriveRequest): Promise<void> {
  const { ctx, store, deps, view } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx, true);
  const source = findItem(store, req.address);
  if (!source.parent) throw invalidRequest('The root of the drive cannot be copied.');
  const parent =
    body.parentReference === undefined ? source.parent : referencedFolder(store, body.parentReference);
  const name = optionalString(body.name, 'name') ?? source.name;
  checkName(name, `${store.pathOf(parent)}/${name}`);
  if (source.kind === 'folder' && store.contains(source, parent))
    throw invalidRequest('Cannot copy a folder into itself or one of its descendants.');
  if (store.child(parent, name)) throw nameAlreadyExists();
  if (store.size(source) > store.remainingBytes()) throw quotaLimitReached();
  const job = deps.copies.create(store, source.id, parent.id, name, view.now);
  sendEmpty(ctx.res, 202, { Location: `${view.origin}/monitor/${job.id}` });
}
