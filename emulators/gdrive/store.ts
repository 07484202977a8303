/**
 * One user's Drive: file records, the folder index, trash propagation, storage usage and the change
 * log. Every mutation goes through this class so usage counters, versions and changes stay consistent.
 *
 * Drive rules kept here: one parent per item (or none: an orphan), names not unique and may contain
 * `/`, trashing a folder marks its descendants trashed (not explicitly), permanent deletion is
 * recursive, each file's `version` grows on every change, and the change log keeps only the latest
 * change per file (as Drive's feed reports each file's current state).
 */
import type { Clock } from '../shared/clock';
import { contentSize, type BlobStore, type Content, type SyntheticDigests } from './content';
import { cannotAddParent, fileNotFound, invalidParent, storageQuotaExceeded } from './errors';
import { FOLDER, isBinaryMime } from './mime';

export interface DriveUser {
  email: string;
  displayName: string;
  permissionId: string;
}

export interface FileRecord {
  readonly id: string;
  /** Creation order within the drive; the default listing order and the page-token tiebreaker. */
  readonly seq: number;
  name: string;
  mimeType: string;
  /** The single parent folder id; null for the root and for orphans. */
  parent: string | null;
  createdTime: number;
  modifiedTime: number;
  viewedByMeTime: number | undefined;
  explicitlyTrashed: boolean;
  /** Explicitly trashed, or inside a trashed folder. */
  trashed: boolean;
  starred: boolean;
  version: number;
  /** Sequence number of this file's latest entry in the change log. */
  changeSeq: number;
  /** Bytes (binary files) or text (native documents); undefined for folders and shortcuts. */
  content: Content | undefined;
  headRevision: number;
  description: string | undefined;
  properties: Record<string, string> | undefined;
  appProperties: Record<string, string> | undefined;
  shortcutTarget: { id: string; mimeType: string } | undefined;
  originalFilename: string | undefined;
  folderColorRgb: string | undefined;
}

export interface NewFile {
  id: string;
  name: string;
  mimeType: string;
  parent: string | null;
  createdTime: number;
  modifiedTime: number;
  content?: Content;
  explicitlyTrashed?: boolean;
  viewedByMeTime?: number;
  starred?: boolean;
  description?: string;
  properties?: Record<string, string>;
  appProperties?: Record<string, string>;
  shortcutTarget?: { id: string; mimeType: string };
  originalFilename?: string;
  folderColorRgb?: string;
}

/** One entry of the change feed: the file's current record, or its removal. */
export interface ChangeEntry {
  seq: number;
  fileId: string;
  time: number;
  record: FileRecord | undefined;
}

/**
 * Append-only log of (seq, fileId, time); an entry is live only while it is its file's latest one.
 * Superseded entries are dropped when they outnumber the live ones.
 */
class ChangeLog {
  private seqs: number[] = [];
  private ids: string[] = [];
  private times: number[] = [];
  private nextSeq = 1;

  get next(): number {
    return this.nextSeq;
  }

  append(fileId: string, time: number): number {
    const seq = this.nextSeq++;
    this.seqs.push(seq);
    this.ids.push(fileId);
    this.times.push(time);
    return seq;
  }

  /** Live entries with seq >= from, at most `limit`, and the seq to continue from (if any remain). */
  page(
    from: number,
    limit: number,
    latest: (fileId: string) => number | undefined,
  ): { entries: { seq: number; fileId: string; time: number }[]; continueAt: number | undefined } {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.seqs[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    const entries: { seq: number; fileId: string; time: number }[] = [];
    for (let i = lo; i < this.seqs.length; i++) {
      const seq = this.seqs[i] as number;
      const fileId = this.ids[i] as string;
      if (latest(fileId) !== seq) continue;
      if (entries.length === limit) return { entries, continueAt: seq };
      entries.push({ seq, fileId, time: this.times[i] as number });
    }
    return { entries, continueAt: undefined };
  }

  compact(live: number, latest: (fileId: string) => number | undefined): void {
    if (this.seqs.length < 2 * live + 1024) return;
    const seqs: number[] = [];
    const ids: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      const fileId = this.ids[i] as string;
      if (latest(fileId) !== this.seqs[i]) continue;
      seqs.push(this.seqs[i] as number);
      ids.push(fileId);
      times.push(this.times[i] as number);
    }
    this.seqs = seqs;
    this.ids = ids;
    this.times = times;
  }
}

export class DriveStore {
  readonly root: FileRecord;
  private readonly files = new Map<string, FileRecord>();
  private readonly children = new Map<string, Set<string>>();
  /** fileId -> seq of its removal entry, for permanently deleted files. */
  private readonly removals = new Map<string, number>();
  private readonly log = new ChangeLog();
  private nextFileSeq = 0;
  /** Grows on every mutation; listing caches compare it. */
  mutations = 0;
  /** Bytes of binary content, trashed included, and the trashed part. */
  usage = 0;
  trashUsage = 0;
  /** Storage limit in bytes; null = unlimited. */
  quotaLimit: number | null;
  /** Ids handed out by files.generateIds and not yet used. */
  readonly generatedIds = new Set<string>();

  constructor(
    readonly user: DriveUser,
    rootId: string,
    createdTime: number,
    quotaLimit: number | null,
    private readonly clock: Clock,
    private readonly blobs: BlobStore,
    readonly syntheticDigests: SyntheticDigests,
  ) {
    this.quotaLimit = quotaLimit;
    this.root = this.newRecord({
      id: rootId,
      name: 'My Drive',
      mimeType: FOLDER,
      parent: null,
      createdTime,
      modifiedTime: createdTime,
    });
    this.files.set(rootId, this.root);
  }

  private newRecord(init: NewFile): FileRecord {
    return {
      id: init.id,
      seq: this.nextFileSeq++,
      name: init.name,
      mimeType: init.mimeType,
      parent: init.parent,
      createdTime: init.createdTime,
      modifiedTime: init.modifiedTime,
      viewedByMeTime: init.viewedByMeTime,
      explicitlyTrashed: init.explicitlyTrashed ?? false,
      trashed: init.explicitlyTrashed ?? false,
      starred: init.starred ?? false,
      version: 1,
      changeSeq: 0,
      content: init.content,
      headRevision: 1,
      description: init.description,
      properties: init.properties,
      appProperties: init.appProperties,
      shortcutTarget: init.shortcutTarget,
      originalFilename: init.originalFilename,
      folderColorRgb: init.folderColorRgb,
    };
  }

  /** A record by id (`root` is an alias of the root folder). */
  get(id: string): FileRecord | undefined {
    return this.files.get(id === 'root' ? this.root.id : id);
  }

  /** A record by id, or 404 notFound. */
  require(id: string): FileRecord {
    const record = this.get(id);
    if (!record) throw fileNotFound(id);
    return record;
  }

  /** A folder by id for use as a parent: 404 when missing, 400 when not a folder. */
  requireFolder(id: string): FileRecord {
    const record = this.get(id);
    if (!record) throw fileNotFound(id);
    if (record.mimeType !== FOLDER) throw invalidParent('The specified parent is not a folder.');
    return record;
  }

  /** Every item except the root, in creation order. */
  *all(): Generator<FileRecord> {
    for (const record of this.files.values()) if (record !== this.root) yield record;
  }

  /** The direct children of a folder, in creation order. */
  *childrenOf(id: string): Generator<FileRecord> {
    for (const childId of this.children.get(id) ?? []) {
      const child = this.files.get(childId);
      if (child) yield child;
    }
  }

  get size(): number {
    return this.files.size - 1;
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  // ---- usage -----------------------------------------------------------------------------------

  private bytesOf(record: FileRecord): number {
    return record.content && isBinaryMime(record.mimeType) ? contentSize(record.content) : 0;
  }

  private account(record: FileRecord, sign: 1 | -1): void {
    const bytes = this.bytesOf(record) * sign;
    this.usage += bytes;
    if (record.trashed) this.trashUsage += bytes;
  }

  /** Throws 403 storageQuotaExceeded when `bytes` more would not fit. */
  ensureRoom(bytes: number): void {
    if (this.quotaLimit !== null && this.usage + bytes > this.quotaLimit) throw storageQuotaExceeded();
  }

  // ---- changes ---------------------------------------------------------------------------------

  private changed(record: FileRecord, time: number): void {
    record.changeSeq = this.log.append(record.id, time);
    this.mutations++;
  }

  private latestSeq = (fileId: string): number | undefined =>
    this.files.get(fileId)?.changeSeq ?? this.removals.get(fileId);

  /** The token that lists changes made from now on. */
  get startPageToken(): number {
    return this.log.next;
  }

  /** Changes from `from` on (each file once, its latest state), and where to continue. */
  changesSince(from: number, limit: number): { entries: ChangeEntry[]; continueAt: number | undefined } {
    const page = this.log.page(from, limit, this.latestSeq);
    return {
      entries: page.entries.map((e) => ({ ...e, record: this.files.get(e.fileId) })),
      continueAt: page.continueAt,
    };
  }

  // ---- mutations -------------------------------------------------------------------------------

  /** Adds an item under `init.parent` (which the caller validated); it is trashed if its parent is. */
  create(init: NewFile, blobRef = true): FileRecord {
    const record = this.newRecord(init);
    const parent = record.parent === null ? undefined : this.files.get(record.parent);
    if (parent?.trashed) record.trashed = true;
    this.files.set(record.id, record);
    if (record.parent !== null) this.link(record.id, record.parent);
    if (blobRef && record.content?.kind === 'blob') this.blobs.ref(record.content.blob);
    this.account(record, 1);
    this.changed(record, this.clock.now());
    return record;
  }

  private link(id: string, parent: string): void {
    let set = this.children.get(parent);
    if (!set) {
      set = new Set();
      this.children.set(parent, set);
    }
    set.add(id);
  }

  private unlink(id: string, parent: string): void {
    const set = this.children.get(parent);
    set?.delete(id);
    if (set?.size === 0) this.children.delete(parent);
  }

  /** Applies `mutate` to a record as one change: usage re-counted, version bumped, change logged. */
  update(record: FileRecord, mutate: (record: FileRecord) => void): void {
    this.account(record, -1);
    mutate(record);
    this.account(record, 1);
    record.version++;
    this.changed(record, this.clock.now());
  }

  /** Replaces binary content (a new head revision); the old blob is released. */
  replaceContent(record: FileRecord, content: Content, modifiedTime: number): void {
    const old = record.content;
    if (content.kind === 'blob') this.blobs.ref(content.blob);
    this.update(record, (r) => {
      r.content = content;
      r.headRevision++;
      r.modifiedTime = modifiedTime;
    });
    if (old?.kind === 'blob') this.blobs.release(old.blob);
  }

  /**
   * Moves an item to `parent` (null = no parent), enforcing Drive's rules: a folder cannot go into
   * itself or a descendant (400). Trash state of the moved subtree follows its new parent.
   */
  move(record: FileRecord, parent: string | null): void {
    if (parent !== null) {
      for (let at: string | null = parent; at !== null; at = this.files.get(at)?.parent ?? null) {
        if (at === record.id)
          throw invalidParent('A folder cannot be moved into itself or one of its descendants.');
      }
    }
    this.update(record, (r) => {
      if (r.parent !== null) this.unlink(r.id, r.parent);
      r.parent = parent;
      if (parent !== null) this.link(r.id, parent);
    });
    this.propagateTrash(record);
  }

  /** Adds/removes parents the Drive way: the result must have at most one parent (else 403 cannotAddParent). */
  resolveParents(record: FileRecord, add: readonly string[], remove: readonly string[]): string | null {
    const parents = new Set(record.parent === null ? [] : [record.parent]);
    for (const id of remove) parents.delete(id === 'root' ? this.root.id : id);
    for (const id of add) parents.add(this.requireFolder(id).id);
    if (parents.size > 1) throw cannotAddParent();
    return parents.size === 0 ? null : ([...parents][0] as string);
  }

  /** Trashes or restores an item explicitly; descendants follow. */
  setTrashed(record: FileRecord, trashed: boolean): void {
    if (record.explicitlyTrashed === trashed) return;
    this.update(record, (r) => {
      r.explicitlyTrashed = trashed;
      r.trashed = trashed || this.parentTrashed(r);
    });
    this.propagateTrash(record);
  }

  private parentTrashed(record: FileRecord): boolean {
    return record.parent !== null && (this.files.get(record.parent)?.trashed ?? false);
  }

  /** Recomputes `trashed` below `record` (and on it), logging a change for every item that flips. */
  private propagateTrash(record: FileRecord): void {
    const stack = [record];
    while (stack.length > 0) {
      const item = stack.pop() as FileRecord;
      const trashed = item.explicitlyTrashed || this.parentTrashed(item);
      if (item.trashed !== trashed) this.update(item, (r) => (r.trashed = trashed));
      else if (item !== record) continue;
      stack.push(...this.childrenOf(item.id));
    }
  }

  /** Deletes an item permanently, with everything below it; each gets a `removed` change. */
  delete(record: FileRecord): void {
    const doomed: FileRecord[] = [];
    const stack = [record];
    while (stack.length > 0) {
      const item = stack.pop() as FileRecord;
      doomed.push(item);
      stack.push(...this.childrenOf(item.id));
    }
    const now = this.clock.now();
    for (const item of doomed) {
      this.account(item, -1);
      if (item.parent !== null) this.unlink(item.id, item.parent);
      this.children.delete(item.id);
      this.files.delete(item.id);
      this.removals.set(item.id, this.log.append(item.id, now));
      if (item.content?.kind === 'blob') this.blobs.release(item.content.blob);
    }
    this.mutations++;
    this.log.compact(this.files.size + this.removals.size, this.latestSeq);
  }

  /** Deletes every explicitly trashed item (and what is inside). */
  emptyTrash(): void {
    const explicit = [...this.all()].filter((r) => r.explicitlyTrashed);
    for (const record of explicit) if (this.files.has(record.id)) this.delete(record);
  }

  /** Releases every blob reference (the drive is being discarded). */
  dispose(): void {
    for (const record of this.files.values())
      if (record.content?.kind === 'blob') this.blobs.release(record.content.blob);
    this.files.clear();
  }
}
