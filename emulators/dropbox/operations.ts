/**
 * Path resolution and the write rules shared by create_folder_v2, upload, upload_session/finish,
 * copy_v2 and move_v2:
 * - a write path's missing parent folders are created with the write (never when it fails); a file
 *   on the way is `conflict/file_ancestor`;
 * - names conflict case-insensitively; `autorename` picks `name (2).ext`, `name (3).ext`... (folders:
 *   `name (2)`), the form Dropbox documents (?: its v1 docs said `name (1).ext`);
 * - upload modes (WriteMode): a folder at the path always conflicts; identical content is no conflict
 *   and nothing is written (the existing metadata comes back) unless `strict_conflict`; `add` never
 *   replaces; `overwrite` replaces; `update` replaces when the rev matches, and autorenames to
 *   `name (conflicted copy).ext` (?);
 * - storage: a write that adds something (a file, a folder, new bytes) fails with `insufficient_space`
 *   when the allocation is used up or the bytes do not fit (?: Dropbox refuses writes when over quota);
 *   a `quota` fault fails it the same way.
 */
import type { Content } from './content';
import { contentSize } from './content';
import { RouteError, lookupFailed, nested, tag, writeConflict } from './errors';
import {
  conflictedCopyName,
  fold,
  isDisallowedName,
  isUnstorableName,
  numberedName,
  parsePath,
} from './paths';
import type { DropboxStore, Entry, FileEntry, FileVersion, FolderEntry } from './store';

/** Resolves a read path (`/a`, `id:`, `ns:`; `rev:` is handled by callers that accept it). */
export function resolveEntry(store: DropboxStore, text: string, member: string): Entry {
  const parsed = parsePath(text, store.account.namespaceId);
  switch (parsed.kind) {
    case 'malformed':
      throw lookupFailed(member, 'malformed_path');
    case 'root':
      return store.root;
    case 'path':
    case 'id': {
      const base = parsed.kind === 'path' ? store.root : store.entryById(parsed.id);
      const entry = base && store.walk(base, parsed.kind === 'path' ? parsed.components : parsed.rest);
      if (!entry) throw lookupFailed(member, 'not_found');
      return entry;
    }
    case 'rev':
    case 'unknown-namespace':
      throw lookupFailed(member, 'not_found');
  }
}

/** Resolves a read path that may name a revision (`rev:HEX`). */
export function resolveFile(
  store: DropboxStore,
  text: string,
  member: string,
): { file: FileEntry | FileVersion; entry: FileEntry | undefined } {
  if (text.startsWith('rev:')) {
    const version = store.fileByRev(text.slice(4));
    if (!version) throw lookupFailed(member, 'not_found');
    const live = store.entryById(version.id);
    return { file: version, entry: live?.kind === 'file' && live.rev === version.rev ? live : undefined };
  }
  const entry = resolveEntry(store, text, member);
  if (entry.kind !== 'file') throw lookupFailed(member, 'not_file');
  return { file: entry, entry };
}

/** Where a write goes: an existing folder, the folders still to create below it, and the name. */
export interface WriteTarget {
  parent: FolderEntry;
  missing: string[];
  name: string;
}

/** Resolves a write path; `member` wraps WriteErrors (`path`, `to`). */
export function writeTarget(store: DropboxStore, text: string, member: string): WriteTarget {
  const parsed = parsePath(text, store.account.namespaceId);
  let components: string[];
  let base: FolderEntry = store.root;
  if (parsed.kind === 'path') components = parsed.components;
  else if (parsed.kind === 'id') {
    const entry = store.entryById(parsed.id);
    // WriteError has no not_found: an unknown id is a path Dropbox cannot write to (?).
    if (!entry) throw lookupFailed(member, 'malformed_path');
    if (parsed.rest.length === 0) {
      if (!entry.parent) throw lookupFailed(member, 'malformed_path');
      return { parent: entry.parent, missing: [], name: entry.name };
    }
    if (entry.kind !== 'folder') throw writeConflict(member, 'file_ancestor');
    base = entry;
    components = parsed.rest;
  } else if (parsed.kind === 'unknown-namespace')
    throw new RouteError(nested(member, tag('no_write_permission')));
  else throw lookupFailed(member, 'malformed_path');
  if (components.some(isUnstorableName)) throw lookupFailed(member, 'malformed_path');
  if (components.some(isDisallowedName)) throw new RouteError(nested(member, tag('disallowed_name')));
  let parent = base;
  const names = components.slice(0, -1);
  let index = 0;
  for (; index < names.length; index++) {
    const next = store.child(parent, names[index] as string);
    if (!next) break;
    if (next.kind !== 'folder') throw writeConflict(member, 'file_ancestor');
    parent = next;
  }
  return { parent, missing: names.slice(index), name: components[components.length - 1] as string };
}

/** The entry now at the target, if its parents exist. */
export function occupant(store: DropboxStore, target: WriteTarget): Entry | undefined {
  return target.missing.length > 0 ? undefined : store.child(target.parent, target.name);
}

/** Creates the target's missing parent folders. */
export function materialize(store: DropboxStore, target: WriteTarget): FolderEntry {
  let parent = target.parent;
  for (const name of target.missing) parent = store.createFolder(parent, name);
  target.parent = parent;
  target.missing = [];
  return parent;
}

/** A free name in the target's folder: `name (2)`, `name (3)`... (or `conflicted copy` names). */
export function freeName(
  store: DropboxStore,
  target: WriteTarget,
  isFolder: boolean,
  style: 'numbered' | 'conflicted' = 'numbered',
): string {
  for (let n = style === 'numbered' ? 2 : 1; ; n++) {
    const candidate =
      style === 'numbered' ? numberedName(target.name, n, isFolder) : conflictedCopyName(target.name, n);
    if (!occupant(store, { ...target, name: candidate })) return candidate;
  }
}

/** Whether a write adding `extraBytes` fits: the allocation is not used up and the bytes fit in it. */
export function hasRoom(store: DropboxStore, extraBytes: number): boolean {
  const limit = store.quotaLimit;
  return limit === null || (store.used < limit && store.used + extraBytes <= limit);
}

/** `<member>/insufficient_space` (WriteError). */
const insufficientSpace = (member: string) => new RouteError(nested(member, tag('insufficient_space')));

/** Throws `<member>/insufficient_space` when the write does not fit (or a quota fault fired: `overQuota`). */
export function checkSpace(
  store: DropboxStore,
  extraBytes: number,
  member: string,
  overQuota: boolean,
): void {
  if (overQuota || !hasRoom(store, extraBytes)) throw insufficientSpace(member);
}

export type WriteMode = { tag: 'add' } | { tag: 'overwrite' } | { tag: 'update'; rev: string };

export interface CommitInput {
  target: WriteTarget;
  mode: WriteMode;
  autorename: boolean;
  strictConflict: boolean;
  clientModified: number | undefined;
  content: Content;
  contentHash: string;
  /** A quota fault fired: the commit fails with `insufficient_space` (after the path checks). */
  overQuota: boolean;
}

/**
 * Applies the WriteMode rules and writes the file. Throws WriteErrors under `member` (`path`); the
 * caller wraps them for its route (UploadWriteFailed for upload).
 */
export function commitFile(store: DropboxStore, input: CommitInput, member: string): FileEntry {
  const { target, mode } = input;
  if (input.overQuota) throw insufficientSpace(member);
  const existing = occupant(store, target);
  const identical = existing?.kind === 'file' && store.contentHash(existing) === input.contentHash;
  const rename = (style: 'numbered' | 'conflicted') => {
    target.name = freeName(store, target, false, style);
    return create();
  };
  const create = () => {
    checkSpace(store, contentSize(input.content), member, false);
    const now = store.now();
    const parent = materialize(store, target);
    return store.createFile(parent, target.name, input.content, {
      clientModified: input.clientModified ?? now,
      serverModified: now,
    });
  };
  if (!existing) {
    if (mode.tag === 'update' && input.strictConflict) throw writeConflict(member, 'file');
    return create();
  }
  if (existing.kind === 'folder') {
    if (input.autorename) return rename('numbered');
    throw writeConflict(member, 'folder');
  }
  const replace = () => {
    checkSpace(store, contentSize(input.content) - contentSize(existing.content), member, false);
    store.overwrite(existing, input.content, input.clientModified ?? store.now());
    return existing;
  };
  if (identical && !input.strictConflict) return existing;
  if (mode.tag === 'overwrite') return replace();
  if (mode.tag === 'update' && existing.rev === mode.rev) return replace();
  if (input.autorename) return rename(mode.tag === 'update' ? 'conflicted' : 'numbered');
  throw writeConflict(member, 'file');
}

/** The `member/conflict/file|folder` error for an occupied path. */
export function occupiedError(entry: Entry, member: string): RouteError {
  return writeConflict(member, entry.kind === 'folder' ? 'folder' : 'file');
}

/** Whether `text` names the item itself again (same path, exactly). */
export function samePath(store: DropboxStore, entry: Entry, target: WriteTarget): boolean {
  return (
    target.missing.length === 0 && target.parent === entry.parent && fold(target.name) === fold(entry.name)
  );
}
