/**
 * A folder on this computer acting as an account. Ids are `/`-separated paths relative to the root
 * ("" = the root), so they are stable across restarts and re-crawls.
 *
 * Safety rules (see shared/reference/security-and-safety.md):
 * - Every name is checked by `localNameProblem`; every resolved path must stay under the root, with
 *   symlinks resolved (symlinks are never listed or followed; rclone skips them by default too).
 * - Writes go to a temporary `.skyfold-part-*` file, are fsync'd, then placed with a no-clobber hard
 *   link (or an atomic rename for `replace`); nothing is ever overwritten unless asked.
 * - Trash is `.skyfold-trash/` in the root: a same-filesystem rename, so it is atomic and undoable
 *   (`restore`).
 *   `removePermanently` is `fs.rm`, for what the app itself created.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, type Dir, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { numberedName } from '../../../../common/names';
import { checkedRange } from '../byte-range';
import type {
  AboutInfo,
  ByteRange,
  HashType,
  MoveTarget,
  Provider,
  ProviderFeatures,
  ProviderItem,
  WriteOptions,
} from '../types';
import type { Thumbnail } from '../thumbnail-image';
import { errnoOf, fsError } from './fs-errors';
import { isInternalName, localNameProblem, partFilePrefix, trashDirName } from './names';
import { localThumbnail } from './thumbnails';

/** Conflict-free names tried before giving up (`name (2)` ... `name (N)`). */
const maxNumberedNames = 10_000;

export class LocalProvider implements Provider {
  readonly kind = 'local';
  readonly rootId = '';
  readonly features: ProviderFeatures;

  private constructor(
    /** The real (symlink-free) absolute path of the root. */
    readonly rootPath: string,
    caseInsensitive: boolean,
    private readonly platform: NodeJS.Platform,
  ) {
    this.features = {
      serverSideCopy: true,
      serverSideMove: true,
      changeFeed: false,
      resumableUpload: false,
      hashTypes: ['sha256'],
      caseInsensitive,
      duplicateNamesAllowed: false,
      maxFileSize: null,
      thumbnails: true,
      permanentDelete: true,
      maxPathLength: localMaxPathLength(rootPath, platform),
    };
  }

  /** Opens a folder as an account. Throws not_found or invalid_argument (not a directory). */
  static async open(rootPath: string, platform: NodeJS.Platform = process.platform): Promise<LocalProvider> {
    let real: string;
    try {
      real = await fs.realpath(path.resolve(rootPath));
      const stats = await fs.stat(real);
      if (!stats.isDirectory()) throw new SkyfoldError('invalid_argument', `${rootPath} is not a folder`);
    } catch (error) {
      throw fsError(error, rootPath);
    }
    return new LocalProvider(real, await probeCaseInsensitive(real, platform), platform);
  }

  nameProblem(name: string): string | null {
    return localNameProblem(name, this.platform);
  }

  async about(): Promise<AboutInfo> {
    try {
      const stats = await fs.statfs(this.rootPath);
      const total = stats.blocks * stats.bsize;
      return { displayName: this.rootPath, totalBytes: total, usedBytes: total - stats.bfree * stats.bsize };
    } catch {
      return { displayName: this.rootPath, totalBytes: null, usedBytes: null };
    }
  }

  async *list(folderId: string, options: { pageSize?: number } = {}): AsyncIterable<ProviderItem[]> {
    const pageSize = Math.max(1, options.pageSize ?? 1000);
    const dirPath = await this.existingPath(folderId);
    let dir: Dir;
    try {
      dir = await fs.opendir(dirPath, { encoding: 'buffer' as BufferEncoding, bufferSize: 256 });
    } catch (error) {
      throw fsError(error, this.describe(folderId));
    }
    let names: string[] = [];
    for await (const entry of dir) {
      const raw = entry.name as unknown as Buffer;
      const name = raw.toString('utf8');
      // Names that are not valid UTF-8 cannot round-trip through an id; they are skipped, not mangled.
      if (!Buffer.from(name, 'utf8').equals(raw) || isInternalName(name) || entry.isSymbolicLink()) continue;
      names.push(name);
      if (names.length >= pageSize) {
        yield await this.describeChildren(folderId, dirPath, names);
        names = [];
      }
    }
    if (names.length > 0) yield await this.describeChildren(folderId, dirPath, names);
  }

  async stat(id: string): Promise<ProviderItem> {
    const itemPath = await this.existingPath(id);
    try {
      const stats = await fs.lstat(itemPath);
      return this.toItem(id, stats);
    } catch (error) {
      throw fsError(error, this.describe(id));
    }
  }

  /**
   * An `lstat` of `parent/name`; on a case-insensitive disk, when something is there, the folder is
   * read up to the entry to learn its stored spelling (the id must name it as stored).
   */
  async findChildren(parentId: string, name: string): Promise<ProviderItem[]> {
    this.checkName(name);
    let parentPath: string;
    try {
      parentPath = await this.existingPath(parentId);
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'not_found') return [];
      throw error;
    }
    let stats: Stats;
    try {
      stats = await fs.lstat(path.join(parentPath, name));
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'ENOENT' || errno === 'ENOTDIR') return [];
      throw fsError(error, this.describe(joinId(parentId, name)));
    }
    // Symlinks and special files are never listed, so they are never found either.
    if (!stats.isFile() && !stats.isDirectory()) return [];
    const stored = this.features.caseInsensitive ? await storedName(parentPath, name) : name;
    if (stored === null) return [];
    return [this.toItem(joinId(parentId, stored), stats)];
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    const itemPath = await this.existingPath(id);
    const stats = await fs.lstat(itemPath).catch((error: unknown) => {
      throw fsError(error, this.describe(id));
    });
    if (!stats.isFile()) throw new SkyfoldError('invalid_argument', `${this.describe(id)} is not a file`);
    const bytes = checkedRange(range ?? { start: 0 }, stats.size, this.describe(id));
    if (!bytes) return Readable.from([]);
    const { start, end } = bytes;
    const handle = await fs
      .open(itemPath, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW)
      .catch((error: unknown) => {
        throw fsError(error, this.describe(id));
      });
    try {
      return handle.createReadStream({ start, end, autoClose: true });
    } catch (error) {
      await handle.close();
      throw fsError(error, this.describe(id));
    }
  }

  async write(
    parentId: string,
    name: string,
    source: Readable,
    options: WriteOptions,
  ): Promise<ProviderItem> {
    this.checkName(name);
    const parentPath = await this.existingFolderPath(parentId);
    const tempPath = path.join(parentPath, `${partFilePrefix}${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    try {
      const handle = await fs.open(tempPath, 'wx');
      let received = 0;
      try {
        for await (const chunk of source) {
          const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          hash.update(bytes);
          received += bytes.length;
          if (options.size !== undefined && received > options.size) break;
          await handle.write(bytes);
        }
        if (options.size !== undefined && received !== options.size) {
          throw new SkyfoldError('transient', `received ${received} bytes of ${options.size} for "${name}"`);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (options.modifiedAt !== undefined) {
        const when = new Date(options.modifiedAt);
        await fs.utimes(tempPath, when, when);
      }
      const placedName = await this.placeFile(tempPath, parentPath, name, options.conflict);
      await syncDirectory(parentPath);
      const item = await this.stat(joinId(parentId, placedName));
      return { ...item, hashes: { sha256: hash.digest('hex') } };
    } catch (error) {
      await fs.rm(tempPath, { force: true }).catch(() => undefined);
      throw fsError(error, this.describe(joinId(parentId, name)));
    }
  }

  async mkdir(
    parentId: string,
    name: string,
    options: { conflict: 'fail' | 'rename' },
  ): Promise<ProviderItem> {
    this.checkName(name);
    const parentPath = await this.existingFolderPath(parentId);
    for (let n = 1; n <= maxNumberedNames; n++) {
      const candidate = numberedName(name, n);
      try {
        await fs.mkdir(path.join(parentPath, candidate));
        return await this.stat(joinId(parentId, candidate));
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST' || options.conflict === 'fail') {
          throw fsError(error, this.describe(joinId(parentId, candidate)));
        }
      }
    }
    throw new SkyfoldError('conflict', `no free name for "${name}" in ${this.describe(parentId)}`);
  }

  async move(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate(id, target, 'move');
  }

  async copy(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate(id, target, 'copy');
  }

  async trash(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
    const itemPath = await this.existingPath(id);
    const trashPath = await this.trashFolder();
    // Each trashed item gets its own batch folder: `item/<name>` plus `origin.json` (where it was), so
    // no user name can collide with the record.
    const batchDir = path.join(trashPath, `${Date.now()}-${randomBytes(4).toString('hex')}`);
    try {
      await fs.mkdir(path.join(batchDir, 'item'), { recursive: true });
      await fs.writeFile(path.join(batchDir, 'origin.json'), JSON.stringify({ id }));
      await fs.rename(itemPath, path.join(batchDir, 'item', path.basename(itemPath)));
      await syncDirectory(path.dirname(itemPath));
    } catch (error) {
      await fs.rm(batchDir, { recursive: true, force: true }).catch(() => undefined);
      throw fsError(error, this.describe(id));
    }
  }

  /**
   * Moves the item back from the newest `.skyfold-trash` batch whose origin is `id`, to `id` (never
   * over anything: the name taken is a conflict), then removes the batch. Throws not_found (nothing
   * trashed from `id`, or the folder it was in is gone), conflict. Safe to repeat: with no batch left
   * and the item at `id`, the item is returned.
   */
  async restore(id: string): Promise<ProviderItem> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder is never trashed');
    this.lexicalPath(id);
    const batchDir = await this.newestBatchOf(id);
    if (batchDir === null) {
      return this.stat(id).catch((error: unknown) => {
        if (error instanceof SkyfoldError && error.code === 'not_found') {
          throw new SkyfoldError('not_found', `${this.describe(id)} is not in the trash`, { cause: error });
        }
        throw error;
      });
    }
    const parentPath = await this.existingFolderPath(id.slice(0, Math.max(0, id.lastIndexOf('/'))));
    const targetPath = path.join(parentPath, path.basename(id));
    try {
      const [stored] = await fs.readdir(path.join(batchDir, 'item'));
      if (stored === undefined)
        throw new SkyfoldError('not_found', `${this.describe(id)}: the trash is empty`);
      const trashedPath = path.join(batchDir, 'item', stored);
      const kind = (await fs.lstat(trashedPath)).isDirectory() ? 'folder' : 'file';
      if (!(await this.placeNoClobber(trashedPath, targetPath, kind, true))) {
        throw new SkyfoldError('conflict', `${this.describe(id)} exists again: rename it to restore`);
      }
      await syncDirectory(parentPath);
      await fs.rm(batchDir, { recursive: true, force: true });
    } catch (error) {
      throw fsError(error, `restoring ${this.describe(id)}`);
    }
    return this.stat(id);
  }

  /** Deletes permanently (`fs.rm`, a folder with its content), never into `.skyfold-trash`. */
  async removePermanently(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be removed');
    const itemPath = await this.existingPath(id);
    try {
      await fs.rm(itemPath, { recursive: true });
      await syncDirectory(path.dirname(itemPath));
    } catch (error) {
      throw fsError(error, this.describe(id));
    }
  }

  /** Made here from the picture with sharp (thumbnails.ts): one read of the file. */
  async thumbnail(id: string, size: number): Promise<Thumbnail | null> {
    return localThumbnail(await this.stat(id), () => this.read(id), size);
  }

  async hash(id: string, type: HashType): Promise<string> {
    if (type !== 'sha256')
      throw new SkyfoldError('invalid_argument', `local folders do not support ${type} hashes`);
    const stream = await this.read(id);
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  // ---------------------------------------------------------------------------------------------

  private async relocate(id: string, target: MoveTarget, mode: 'move' | 'copy'): Promise<ProviderItem> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', `the root folder cannot be ${mode}d`);
    const source = await this.stat(id);
    const parentId = target.parentId ?? source.parentId ?? this.rootId;
    const name = target.name ?? source.name;
    this.checkName(name);
    if (source.kind === 'folder' && (parentId === id || parentId.startsWith(`${id}/`))) {
      throw new SkyfoldError('invalid_argument', `cannot ${mode} a folder into itself`);
    }
    const sourcePath = await this.existingPath(id);
    const parentPath = await this.existingFolderPath(parentId);
    if (mode === 'move' && parentId === source.parentId && name === source.name) return source;
    const what = `${mode} ${this.describe(id)} to ${this.describe(joinId(parentId, name))}`;

    // A copy is made whole under a temporary name first, then placed like a move.
    let placing = sourcePath;
    if (mode === 'copy') {
      placing = path.join(parentPath, `${partFilePrefix}${randomBytes(8).toString('hex')}`);
      try {
        await copyTree(sourcePath, placing, source.kind);
      } catch (error) {
        await fs.rm(placing, { recursive: true, force: true }).catch(() => undefined);
        throw fsError(error, what);
      }
    }
    try {
      for (let n = 1; n <= maxNumberedNames; n++) {
        const candidate = numberedName(name, n);
        const candidatePath = path.join(parentPath, candidate);
        if (await this.placeNoClobber(placing, candidatePath, source.kind, mode === 'move')) {
          await syncDirectory(parentPath);
          if (path.dirname(placing) !== parentPath) await syncDirectory(path.dirname(placing));
          return await this.stat(joinId(parentId, candidate));
        }
        if (target.conflict === 'fail') {
          throw new SkyfoldError('conflict', `${this.describe(joinId(parentId, candidate))} already exists`);
        }
      }
      throw new SkyfoldError('conflict', `no free name for "${name}" in ${this.describe(parentId)}`);
    } catch (error) {
      if (mode === 'copy') await fs.rm(placing, { recursive: true, force: true }).catch(() => undefined);
      throw fsError(error, what);
    }
  }

  /**
   * Renames `fromPath` to `targetPath` unless something is there; returns false when the name is
   * taken. Never replaces anything: files are placed with a hard link (atomic EEXIST); folders, and
   * files on filesystems without hard links, by reserving the name first (an empty file created with
   * O_EXCL, or mkdir) and renaming over that reservation. A case-only rename of one item on a
   * case-insensitive store goes through a detour name, rolled back if the second step fails.
   */
  private async placeNoClobber(
    fromPath: string,
    targetPath: string,
    kind: 'file' | 'folder',
    isMove: boolean,
  ): Promise<boolean> {
    const existing = await fs.lstat(targetPath).catch(() => null);
    if (existing) {
      if (!isMove || !this.isCaseOnlyRename(fromPath, targetPath)) return false;
      const sourceStats = await fs.lstat(fromPath);
      if (existing.ino !== sourceStats.ino || existing.dev !== sourceStats.dev) return false;
      const detour = path.join(path.dirname(fromPath), `${partFilePrefix}${randomBytes(8).toString('hex')}`);
      await fs.rename(fromPath, detour);
      try {
        await fs.rename(detour, targetPath);
      } catch (error) {
        await fs.rename(detour, fromPath);
        throw error;
      }
      return true;
    }
    if (kind === 'file') {
      let linked: boolean;
      try {
        linked = await tryLink(fromPath, targetPath);
      } catch (error) {
        if (errnoOf(error) === 'EEXIST') return false;
        throw error;
      }
      if (linked) {
        try {
          await fs.unlink(fromPath);
        } catch (error) {
          await fs.unlink(targetPath).catch(() => undefined); // undo: the item stays where it was
          throw error;
        }
        return true;
      }
    }
    try {
      if (kind === 'file') await (await fs.open(targetPath, 'wx')).close();
      else await fs.mkdir(targetPath);
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await fs.rename(fromPath, targetPath);
    } catch (error) {
      await fs.rm(targetPath, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /** Same folder, names equal ignoring case and normalization, on a case-insensitive store. */
  private isCaseOnlyRename(fromPath: string, targetPath: string): boolean {
    const fold = (value: string) => path.basename(value).normalize('NFC').toLowerCase();
    return (
      this.features.caseInsensitive &&
      path.dirname(fromPath) === path.dirname(targetPath) &&
      path.basename(fromPath) !== path.basename(targetPath) &&
      fold(fromPath) === fold(targetPath)
    );
  }

  /** Puts a finished temp file at `name`, per policy. Returns the name used. */
  private async placeFile(
    tempPath: string,
    parentPath: string,
    name: string,
    policy: WriteOptions['conflict'],
  ): Promise<string> {
    if (policy === 'replace') {
      const existing = await fs.lstat(path.join(parentPath, name)).catch(() => null);
      if (existing && !existing.isFile()) {
        throw new SkyfoldError('conflict', `"${name}" exists and is not a file`);
      }
      await fs.rename(tempPath, path.join(parentPath, name));
      return name;
    }
    for (let n = 1; n <= maxNumberedNames; n++) {
      const candidate = numberedName(name, n);
      if (await this.placeNoClobber(tempPath, path.join(parentPath, candidate), 'file', false))
        return candidate;
      if (policy === 'fail') throw new SkyfoldError('conflict', `"${candidate}" already exists`);
    }
    throw new SkyfoldError('conflict', `no free name for "${name}"`);
  }

  /** The account's `.skyfold-trash` folder, created when missing; refused unless it is a real folder. */
  private async trashFolder(): Promise<string> {
    const trashPath = path.join(this.rootPath, trashDirName);
    try {
      await fs.mkdir(trashPath);
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw fsError(error, trashDirName);
    }
    const stats = await fs.lstat(trashPath);
    if (!stats.isDirectory() || (await fs.realpath(trashPath)) !== trashPath) {
      throw new SkyfoldError(
        'permanent',
        `${trashPath} is not a plain folder (a link?): refusing to trash into it`,
      );
    }
    return trashPath;
  }

  /** The newest trash batch folder whose `origin.json` names `id`, or null (unreadable batches skipped). */
  private async newestBatchOf(id: string): Promise<string | null> {
    const trashPath = await this.trashFolder();
    // Batch names start with the time they were made: the greatest is the newest.
    const batches = (await fs.readdir(trashPath)).sort(
      (a, b) => parseInt(b, 10) - parseInt(a, 10) || (a < b ? 1 : -1),
    );
    for (const batch of batches) {
      const origin = await fs
        .readFile(path.join(trashPath, batch, 'origin.json'), 'utf8')
        .then((text) => (JSON.parse(text) as { id?: unknown }).id)
        .catch(() => undefined);
      if (origin === id) return path.join(trashPath, batch);
    }
    return null;
  }

  private async describeChildren(
    folderId: string,
    dirPath: string,
    names: string[],
  ): Promise<ProviderItem[]> {
    const described = await Promise.all(
      names.map(async (name) => {
        try {
          const stats = await fs.lstat(path.join(dirPath, name));
          return stats.isFile() || stats.isDirectory() ? this.toItem(joinId(folderId, name), stats) : null;
        } catch {
          return null; // removed between readdir and lstat
        }
      }),
    );
    return described.filter((item): item is ProviderItem => item !== null);
  }

  private toItem(id: string, stats: Stats): ProviderItem {
    if (!stats.isFile() && !stats.isDirectory()) {
      throw new SkyfoldError('not_found', `${this.describe(id)} is not a file or folder`);
    }
    const isRoot = id === this.rootId;
    const slash = id.lastIndexOf('/');
    return {
      id,
      parentId: isRoot ? null : slash === -1 ? this.rootId : id.slice(0, slash),
      name: isRoot ? path.basename(this.rootPath) : id.slice(slash + 1),
      kind: stats.isDirectory() ? 'folder' : 'file',
      size: stats.isDirectory() ? null : stats.size,
      modifiedAt: Math.floor(stats.mtimeMs),
      mimeType: null,
      targetId: null,
      hashes: {},
    };
  }

  private checkName(name: string): void {
    const problem = this.nameProblem(name);
    if (problem) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
  }

  /**
   * The absolute path of an existing id, after proving it stays under the root with symlinks
   * resolved. Throws invalid_argument for malformed ids and not_found when missing.
   */
  private async existingPath(id: string): Promise<string> {
    const lexical = this.lexicalPath(id);
    let real: string;
    try {
      real = await fs.realpath(lexical);
    } catch (error) {
      throw fsError(error, this.describe(id));
    }
    if (real !== lexical || !isInside(this.rootPath, real)) {
      // A symlink somewhere on the way: Skyfold never follows them.
      throw new SkyfoldError('not_found', `${this.describe(id)}: not found (symbolic link)`);
    }
    return real;
  }

  private async existingFolderPath(id: string): Promise<string> {
    const folderPath = await this.existingPath(id);
    const stats = await fs.stat(folderPath);
    if (!stats.isDirectory())
      throw new SkyfoldError('invalid_argument', `${this.describe(id)} is not a folder`);
    return folderPath;
  }

  private lexicalPath(id: string): string {
    if (id === this.rootId) return this.rootPath;
    const segments = id.split('/');
    for (const segment of segments) {
      if (localNameProblem(segment, this.platform) !== null) {
        throw new SkyfoldError('invalid_argument', `malformed item id "${id}"`);
      }
    }
    const result = path.join(this.rootPath, ...segments);
    if (!isInside(this.rootPath, result))
      throw new SkyfoldError('invalid_argument', `malformed item id "${id}"`);
    return result;
  }

  private describe(id: string): string {
    return id === this.rootId ? '/' : `/${id}`;
  }
}

function joinId(parentId: string, name: string): string {
  return parentId === '' ? name : `${parentId}/${name}`;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function exists(target: string): Promise<boolean> {
  return fs.lstat(target).then(
    () => true,
    () => false,
  );
}

/**
 * Copies a file or a folder tree to `to` (which must not exist), skipping symlinks, Skyfold's own
 * names and anything that is not a regular file or folder (a FIFO or device could block forever).
 * Copied files are fsync'd.
 */
async function copyTree(from: string, to: string, kind: 'file' | 'folder'): Promise<void> {
  if (kind === 'file') {
    await fs.copyFile(from, to, fsConstants.COPYFILE_EXCL);
    const handle = await fs.open(to, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  await fs.mkdir(to);
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (isInternalName(entry.name) || !(entry.isFile() || entry.isDirectory())) continue;
    await copyTree(
      path.join(from, entry.name),
      path.join(to, entry.name),
      entry.isDirectory() ? 'folder' : 'file',
    );
  }
}

/**
 * Hard-links `from` to `to`, which fails atomically with EEXIST when `to` exists. Returns false when the
 * filesystem has no hard links (the caller then falls back); other errors are thrown.
 */
async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await fs.link(from, to);
    return true;
  } catch (error) {
    const errno = errnoOf(error);
    if (errno === 'EPERM' || errno === 'ENOTSUP' || errno === 'EOPNOTSUPP' || errno === 'EXDEV') return false;
    throw error;
  }
}

/** fsync a directory so a rename inside it survives a power loss (a no-op where unsupported). */
async function syncDirectory(dirPath: string): Promise<void> {
  try {
    const handle = await fs.open(dirPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open directories for fsync; the rename is still atomic there.
  }
}

/** Windows' MAX_PATH (terminating NUL included): the longest absolute path every program can open. */
const windowsMaxPath = 260;

/** `features.maxPathLength` of a local account: on Windows what MAX_PATH leaves below the root; else none. */
export function localMaxPathLength(rootPath: string, platform: NodeJS.Platform): number | null {
  if (platform !== 'win32') return null;
  // Absolute path = root + separator + relative path, then the NUL.
  return Math.max(0, windowsMaxPath - 1 - rootPath.length - 1);
}

/**
 * The stored spelling of the entry of `dirPath` that `name` reaches on a case-insensitive disk (names
 * compared case-folded, NFC), read entry by entry until found; `name` itself when none compares equal
 * under this folding (the filesystem folds differently: the name it accepted is then kept), or null
 * when the entry is one that is never listed.
 */
async function storedName(dirPath: string, name: string): Promise<string | null> {
  const fold = (value: string) => value.normalize('NFC').toLowerCase();
  const wanted = fold(name);
  const dir = await fs.opendir(dirPath, { encoding: 'buffer' as BufferEncoding, bufferSize: 256 });
  try {
    for await (const entry of dir) {
      const raw = entry.name as unknown as Buffer;
      const candidate = raw.toString('utf8');
      if (!Buffer.from(candidate, 'utf8').equals(raw) || fold(candidate) !== wanted) continue;
      return isInternalName(candidate) || entry.isSymbolicLink() ? null : candidate;
    }
  } finally {
    await dir.close().catch(() => undefined);
  }
  return name;
}

async function probeCaseInsensitive(root: string, platform: NodeJS.Platform): Promise<boolean> {
  const probe = path.join(root, `${partFilePrefix}case-probe-${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFile(probe, '', { flag: 'wx' });
    try {
      return await exists(path.join(root, path.basename(probe).toUpperCase()));
    } finally {
      await fs.rm(probe, { force: true });
    }
  } catch {
    return platform === 'darwin' || platform === 'win32';
  }
}
