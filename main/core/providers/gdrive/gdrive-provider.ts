/**
 * Google Drive as a Provider, on the official per-API SDK module `@googleapis/drive` (so neither the
 * app nor its package carries googleapis' hundreds of other APIs) for metadata calls and downloads,
 * and on Drive's resumable session protocol (which the Node client cannot speak) for uploads.
 *
 * Drive facts that shape this class (../../../../../shared/reference/cloud-apis.md):
 * - ids are opaque; `root` is an alias, so the real root id is looked up once and used throughout;
 * - names are NOT unique in a folder and may contain `/`: conflict policies are enforced here by
 *   looking for a live child of that name first (a race with another client can still create a
 *   duplicate, which Drive allows; nothing is ever overwritten);
 * - Google-native documents (Docs, Sheets...) have no bytes: they are listed, and read as an export;
 * - trash is `trashed: true` (`restore`: `trashed: false`); a trashed item is "not found" for every
 *   other method here.
 *
 * Authentication is injected (`AccessTokenSource`): a 401 invalidates the token and the call is
 * repeated once with a fresh one. The SDK's own retries are off: the account's pacer retries.
 */
import { drive as createDrive, type drive_v3 } from '@googleapis/drive';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { StoredBytesMismatch } from '../stored-bytes';
import { exportFormatsFor } from '../../../../common/export-formats';
import { numberedName } from '../../../../common/names';
import type {
  AboutInfo,
  AccessTokenSource,
  ByteRange,
  ChangeFeed,
  ProviderChange,
  HashType,
  MoveTarget,
  Provider,
  ProviderFeatures,
  ProviderItem,
  UploadCheckpoint,
  WriteOptions,
} from '../types';
import { withAccessToken } from '../access-token';
import { readErrorBody } from '../http-errors';
import { responseBodyStream } from '../http-stream';
import { checkedRange } from '../byte-range';
import { Pacer } from '../pacer';
import { fitThumbnail, type Thumbnail } from '../thumbnail-image';
import { driveHttpError, toDriveError } from './errors';
import { fetchThumbnailLink, sizedThumbnailLink, thumbnailFields } from './gdrive-thumbnails';
import { cancelSession, querySession, startResumableSession, uploadThroughSession } from './resumable-upload';
import { fileFields, folderMimeType, isGoogleNative, quoteQ, shortcutMimeType, toProviderItem } from './wire';

export interface GdriveOptions {
  /** `https://www.googleapis.com` for Google; an emulator's origin in tests and demos. */
  apiBaseUrl: string;
  tokens: AccessTokenSource;
  /** Every request goes through it (retries of rate limits and transient errors); default: no retries. */
  pacer?: Pacer;
  /** Upload chunk size (multiple of 256 KiB); default 8 MiB. */
  chunkSize?: number;
  /** Files up to this size are sent in one multipart request; larger or unknown sizes use a session. */
  multipartLimit?: number;
  fetch?: typeof fetch;
  /** Files per part of `changeFeed.listAll` (1..1000); default 1000, Drive's largest page. */
  listAllPageSize?: number;
  /** Changes per changes.list page (1..1000) and pages per `changesSince` call; default 1000 and 50. */
  changePages?: { size: number; perCall: number };
}

const defaultChunkSize = 8 * 1024 * 1024;
const defaultMultipartLimit = 5 * 1024 * 1024;
const maxNumberedNames = 1000;
/** Pages of changes read by one `changesSince` call before it returns what it has (`more`). */
const defaultChangePages = { size: 1000, perCall: 50 };

export class GdriveProvider implements Provider {
  readonly kind = 'gdrive';
  readonly features: ProviderFeatures = {
    serverSideCopy: true,
    serverSideMove: true,
    changeFeed: true,
    resumableUpload: true,
    hashTypes: ['md5', 'sha1', 'sha256'],
    caseInsensitive: false,
    duplicateNamesAllowed: true,
    maxFileSize: 5120 * 1024 ** 3,
    thumbnails: true,
    permanentDelete: true,
    maxPathLength: null,
  };
  private readonly drive: drive_v3.Drive;
  private readonly fetchImpl: typeof fetch;
  /** `options.apiBaseUrl` without trailing slashes. */
  private readonly apiBaseUrl: string;
  readonly pacer: Pacer;

  private constructor(
    private readonly options: GdriveOptions,
    /** The real id behind the `root` alias. */
    readonly rootId: string,
    drive: drive_v3.Drive,
  ) {
    this.drive = drive;
    this.fetchImpl = options.fetch ?? fetch;
    this.apiBaseUrl = trimSlashes(options.apiBaseUrl);
    this.pacer =
      options.pacer ?? new Pacer({ maxConcurrency: 4, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
  }

  /** Connects and looks up the root folder's id. Throws auth/network errors mapped to shared codes. */
  static async connect(options: GdriveOptions): Promise<GdriveProvider> {
    // `retry: false`: gaxios' own retries would double the pacer's (and ignore Retry-After).
    const drive = createDrive({
      version: 'v3',
      rootUrl: `${trimSlashes(options.apiBaseUrl)}/`,
      retry: false,
    });
    const probe = new GdriveProvider(options, 'root', drive);
    const root = await probe.api(
      (headers) => drive.files.get({ fileId: 'root', fields: 'id' }, { headers }),
      'the root folder',
    );
    if (!root.id) throw new SkyfoldError('permanent', 'Google Drive did not return the root folder id');
    return new GdriveProvider(options, root.id, drive);
  }

  /** Drive accepts nearly any name (even `/` and `..`); only empty names and control characters are refused. */
  nameProblem(name: string): string | null {
    if (name.length === 0) return 'the name is empty';
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(name)) return 'the name contains a control character';
    if (Buffer.byteLength(name) > 32_767) return 'the name is too long';
    return null;
  }

  async about(): Promise<AboutInfo> {
    const about = await this.api(
      (headers) =>
        this.drive.about.get(
          { fields: 'user(emailAddress,displayName),storageQuota(limit,usage)' },
          { headers },
        ),
      'account',
    );
    const number = (value: string | null | undefined) =>
      value === undefined || value === null ? null : Number(value);
    return {
      displayName: about.user?.emailAddress ?? about.user?.displayName ?? 'Google Drive',
      usedBytes: number(about.storageQuota?.usage),
      totalBytes: number(about.storageQuota?.limit),
    };
  }

  async *list(folderId: string, options: { pageSize?: number } = {}): AsyncIterable<ProviderItem[]> {
    const folder = await this.liveFile(folderId);
    if (folder.mimeType !== folderMimeType)
      throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder`);
    const pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    let pageToken: string | undefined;
    do {
      const page = await this.api(
        (headers) =>
          this.drive.files.list(
            {
              q: `${quoteQ(folderId)} in parents and trashed = false`,
              fields: `nextPageToken,files(${fileFields})`,
              pageSize,
              ...(pageToken ? { pageToken } : {}),
            },
            { headers },
          ),
        `listing "${folder.name}"`,
      );
      const files = page.files ?? [];
      if (files.length > pageSize)
        throw new SkyfoldError('permanent', 'Google Drive returned a page larger than asked');
      if (files.length > 0) yield files.map((file) => toProviderItem(file, this.rootId));
      if (page.nextPageToken && page.nextPageToken === pageToken) {
        throw new SkyfoldError('permanent', 'Google Drive repeated a page token (listing would never end)');
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async stat(id: string): Promise<ProviderItem> {
    return toProviderItem(await this.liveFile(id), this.rootId);
  }

  /** One files.list per 1000 matches (duplicates are all returned); the parent is not looked up. */
  async findChildren(parentId: string, name: string): Promise<ProviderItem[]> {
    this.checkName(name);
    const found: ProviderItem[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.api(
        (headers) =>
          this.drive.files.list(
            {
              q: `${quoteQ(parentId)} in parents and name = ${quoteQ(name)} and trashed = false`,
              fields: `nextPageToken,files(${fileFields})`,
              pageSize: 1000,
              ...(pageToken ? { pageToken } : {}),
            },
            { headers },
          ),
        `looking for "${name}"`,
      );
      // Drive compares names exactly; the filter guards against a server that folds them.
      for (const file of page.files ?? []) {
        if (file.name === name && !file.trashed) found.push(toProviderItem(file, this.rootId));
      }
      if (page.nextPageToken && page.nextPageToken === pageToken) {
        throw new SkyfoldError('permanent', 'Google Drive repeated a page token (listing would never end)');
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return found;
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    const file = await this.liveFile(id);
    const target = file.mimeType === shortcutMimeType ? file.shortcutDetails?.targetId : undefined;
    if (target) {
      // A shortcut reads as its target. Drive never points a shortcut at a shortcut; refuse a server that does.
      const resolved = await this.liveFile(target);
      if (resolved.mimeType === shortcutMimeType)
        throw new SkyfoldError('permanent', `"${file.name}" points to a shortcut`);
      return this.read(target, range);
    }
    if (file.mimeType === folderMimeType)
      throw new SkyfoldError('invalid_argument', `"${file.name}" is a folder`);
    if (isGoogleNative(file.mimeType)) {
      if (range)
        throw new SkyfoldError('invalid_argument', 'byte ranges are not available for Google documents');
      return this.export(id, exportFormatsFor(file.mimeType)[0] ?? 'application/pdf');
    }
    const size = Number(file.size ?? 0);
    const bytes = checkedRange(range ?? { start: 0 }, size, `"${file.name}"`);
    if (!bytes) return Readable.from([]);
    const headers: Record<string, string> = {};
    if (range) headers.Range = `bytes=${bytes.start}-${bytes.end}`;
    return this.download(`files/${encodeURIComponent(id)}?alt=media`, headers, `reading "${file.name}"`);
  }

  /** A Google-native document's bytes in `mimeType` (one of `exportFormatsFor(its mimeType)`). Throws invalid_argument otherwise. */
  async export(id: string, mimeType: string): Promise<Readable> {
    return this.download(
      `files/${encodeURIComponent(id)}/export?mimeType=${encodeURIComponent(mimeType)}`,
      {},
      'exporting a document',
    );
  }

  /**
   * A streamed GET under /drive/v3/ (downloads and exports; the SDK would drop the error body, whose
   * reason tells a rate limit from a refusal). Paced and authorized like every call; the stream
   * fails with `transient` if the body ends before its Content-Length.
   */
  private download(pathAndQuery: string, headers: Record<string, string>, what: string): Promise<Readable> {
    const url = `${this.apiBaseUrl}/drive/v3/${pathAndQuery}`;
    return this.api(async (auth) => {
      const response = await this.fetchImpl(url, { headers: { ...auth, ...headers } });
      if (!response.ok) {
        throw driveHttpError(
          response.status,
          await readErrorBody(response),
          response.headers.get('retry-after'),
          `Google Drive, ${what}`,
        );
      }
      const contentLength = Number(response.headers.get('content-length') ?? NaN);
      const data = responseBodyStream(response, {
        expectedBytes: Number.isSafeInteger(contentLength) ? contentLength : undefined,
        what: `Google Drive, ${what}`,
        mapError: (error) => toDriveError(error, `Google Drive, ${what}`),
      });
      return { data };
    }, what);
  }

  async write(
    parentId: string,
    name: string,
    source: Readable,
    options: WriteOptions,
  ): Promise<ProviderItem> {
    this.checkName(name);
    const parent = await this.liveFolder(parentId);
    const existing = await this.childNamed(parentId, name);
    let targetName = name;
    let replaceId: string | undefined;
    if (existing) {
      if (options.conflict === 'fail')
        throw new SkyfoldError('conflict', `"${name}" already exists in "${parent.name}"`);
      if (options.conflict === 'replace') {
        if (existing.mimeType === folderMimeType)
          throw new SkyfoldError('conflict', `"${name}" exists and is a folder`);
        replaceId = existing.id!;
      } else {
        targetName = await this.freeName(parentId, name);
      }
    }
    const metadata: drive_v3.Schema$File = replaceId ? {} : { name: targetName, parents: [parentId] };
    if (options.modifiedAt !== undefined) metadata.modifiedTime = new Date(options.modifiedAt).toISOString();
    const file = await this.upload(source, metadata, options.size, replaceId, options.checkpoint);
    return toProviderItem(file, this.rootId);
  }

  async mkdir(
    parentId: string,
    name: string,
    options: { conflict: 'fail' | 'rename' },
  ): Promise<ProviderItem> {
    this.checkName(name);
    const parent = await this.liveFolder(parentId);
    let targetName = name;
    if (await this.childNamed(parentId, name)) {
      if (options.conflict === 'fail')
        throw new SkyfoldError('conflict', `"${name}" already exists in "${parent.name}"`);
      targetName = await this.freeName(parentId, name);
    }
    const folder = await this.api(
      (headers) =>
        this.drive.files.create(
          {
            requestBody: { name: targetName, mimeType: folderMimeType, parents: [parentId] },
            fields: fileFields,
          },
          { headers },
        ),
      `creating "${targetName}"`,
    );
    return toProviderItem(folder, this.rootId);
  }

  async move(id: string, target: MoveTarget): Promise<ProviderItem> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be moved');
    const file = await this.liveFile(id);
    const currentParent = file.parents?.[0] ?? null;
    const parentId = target.parentId ?? currentParent ?? this.rootId;
    const name = target.name ?? file.name!;
    this.checkName(name);
    if (parentId === currentParent && name === file.name) return toProviderItem(file, this.rootId);
    await this.liveFolder(parentId);
    if (file.mimeType === folderMimeType) await this.refuseDescendant(id, parentId, 'move');
    const targetName = await this.resolveName(parentId, name, target.conflict, id);
    const moved = await this.api(
      (headers) =>
        this.drive.files.update(
          {
            fileId: id,
            requestBody: { name: targetName },
            fields: fileFields,
            ...(parentId !== currentParent
              ? { addParents: parentId, ...(currentParent ? { removeParents: currentParent } : {}) }
              : {}),
          },
          { headers },
        ),
      `moving "${file.name}"`,
    );
    return toProviderItem(moved, this.rootId);
  }

  async copy(id: string, target: MoveTarget): Promise<ProviderItem> {
    const file = await this.liveFile(id);
    const parentId = target.parentId ?? file.parents?.[0] ?? this.rootId;
    const name = target.name ?? file.name!;
    this.checkName(name);
    await this.liveFolder(parentId);
    if (file.mimeType === folderMimeType) await this.refuseDescendant(id, parentId, 'copy');
    const targetName = await this.resolveName(parentId, name, target.conflict);
    if (file.mimeType !== folderMimeType) {
      const copied = await this.api(
        (headers) =>
          this.drive.files.copy(
            { fileId: id, requestBody: { name: targetName, parents: [parentId] }, fields: fileFields },
            { headers },
          ),
        `copying "${file.name}"`,
      );
      return toProviderItem(copied, this.rootId);
    }
    // Drive copies files only: a folder is recreated and its children copied one by one.
    const folder = await this.mkdir(parentId, targetName, { conflict: 'fail' });
    for await (const page of this.list(id)) {
      for (const child of page) await this.copy(child.id, { parentId: folder.id, conflict: 'rename' });
    }
    return folder;
  }

  /**
   * Drive's changes feed (changes.getStartPageToken + changes.list); trashed files count as removed.
   * `listAll` is files.list over the whole drive (`trashed = false`, no parent clause: one request
   * per part of up to 1000 files, whatever the folders), after changes.getStartPageToken on the first
   * call: its `next` is `{"start": <that token>, "page": <the next page token>}` as JSON, and the
   * start token alone once the listing is done.
   */
  readonly changeFeed: ChangeFeed = {
    listAll: async (from) => {
      const crawl =
        from === null ? { start: await this.changeFeed.startCursor(), page: null } : readCrawl(from);
      const pageSize = Math.min(1000, Math.max(1, Math.floor(this.options.listAllPageSize ?? 1000)));
      const page = await this.api(
        (headers) =>
          this.drive.files.list(
            {
              q: 'trashed = false',
              spaces: 'drive',
              pageSize,
              fields: `nextPageToken,files(${fileFields})`,
              ...(crawl.page === null ? {} : { pageToken: crawl.page }),
            },
            { headers },
          ),
        'listing the whole drive',
      );
      // The root is never listed (nor anything without a parent: it cannot be under the root).
      const changes = (page.files ?? [])
        .filter((file) => !file.trashed && file.id !== this.rootId && (file.parents?.length ?? 0) > 0)
        .map((file): ProviderChange => ({ kind: 'upsert', item: toProviderItem(file, this.rootId) }));
      if (!page.nextPageToken) return { changes, next: crawl.start, done: true };
      if (page.nextPageToken === crawl.page) {
        throw new SkyfoldError('permanent', 'Google Drive repeated a page token (listing would never end)');
      }
      return { changes, next: JSON.stringify({ start: crawl.start, page: page.nextPageToken }), done: false };
    },
    startCursor: async () => {
      const start = await this.api(
        (headers) => this.drive.changes.getStartPageToken({}, { headers }),
        'the change feed',
      );
      if (!start.startPageToken) throw new SkyfoldError('permanent', 'Google Drive sent no start page token');
      return start.startPageToken;
    },
    changesSince: async (cursor) => {
      const changes: ProviderChange[] = [];
      let pageToken = cursor;
      const { size, perCall } = this.options.changePages ?? defaultChangePages;
      for (let pages = 0; pages < perCall; pages++) {
        const page = await this.api(
          (headers) =>
            this.drive.changes.list(
              {
                pageToken,
                pageSize: size,
                includeRemoved: true,
                spaces: 'drive',
                fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${fileFields}))`,
              },
              { headers },
            ),
          'the change feed',
        );
        for (const change of page.changes ?? []) {
          if (!change.fileId) continue;
          if (change.removed || !change.file || change.file.trashed)
            changes.push({ kind: 'remove', id: change.fileId });
          else changes.push({ kind: 'upsert', item: toProviderItem(change.file, this.rootId) });
        }
        if (page.newStartPageToken) return { changes, cursor: page.newStartPageToken };
        if (!page.nextPageToken || page.nextPageToken === pageToken) {
          throw new SkyfoldError('permanent', 'Google Drive ended a change list without a new start token');
        }
        pageToken = page.nextPageToken;
      }
      // A long feed comes in parts: the caller applies this one and asks again from where it stopped.
      return { changes, cursor: pageToken, more: true };
    },
  };

  async trash(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
    const file = await this.liveFile(id);
    await this.api(
      (headers) =>
        this.drive.files.update({ fileId: id, requestBody: { trashed: true }, fields: 'id' }, { headers }),
      `trashing "${file.name}"`,
    );
  }

  /**
   * `files.update {trashed: false}` of an item trashed on its own (a folder brings back what it
   * held), after checking that no live item of its folder has its name (Drive would allow the
   * duplicate; Skyfold never makes one; a race with another client can still make it). Throws
   * not_found (deleted for good; in a trashed folder, or its folder is in the trash: restore that
   * folder), conflict. Safe to repeat: an item not in the trash is returned as it is.
   */
  async restore(id: string): Promise<ProviderItem> {
    const file = await this.api(
      (headers) =>
        this.drive.files.get({ fileId: id, fields: `${fileFields},explicitlyTrashed` }, { headers }),
      `item ${id}`,
    );
    if (!file.trashed) return toProviderItem(file, this.rootId);
    const parentId = file.parents?.[0];
    if (!file.explicitlyTrashed || !parentId) {
      throw new SkyfoldError('not_found', `"${file.name}" is in a trashed folder: restore that folder`);
    }
    const parent = await this.liveFolder(parentId).catch((error: unknown) => {
      if (error instanceof SkyfoldError && error.code === 'not_found') {
        throw new SkyfoldError('not_found', `the folder "${file.name}" was in is in the trash or gone`, {
          cause: error,
        });
      }
      throw error;
    });
    if (await this.childNamed(parentId, file.name!, id)) {
      throw new SkyfoldError(
        'conflict',
        `"${file.name}" exists again in "${parent.name}": rename it to restore`,
      );
    }
    const restored = await this.api(
      (headers) =>
        this.drive.files.update(
          { fileId: id, requestBody: { trashed: false }, fields: fileFields },
          { headers },
        ),
      `restoring "${file.name}"`,
    );
    return toProviderItem(restored, this.rootId);
  }

  /** `files.delete` (permanent, a folder with its content). One request; not_found when already gone. */
  async removePermanently(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be removed');
    await this.api((headers) => this.drive.files.delete({ fileId: id }, { headers }), `removing ${id}`);
  }

  /**
   * Drive's own thumbnail (gdrive-thumbnails.ts), sized by Drive to `size` and fetched with the
   * account's token: two requests (files.get for the link, then the link). Null when Drive has none.
   */
  async thumbnail(id: string, size: number): Promise<Thumbnail | null> {
    const file = await this.api(
      (headers) => this.drive.files.get({ fileId: id, fields: thumbnailFields }, { headers }),
      `item ${id}`,
    );
    if (file.trashed) throw new SkyfoldError('not_found', `"${file.name}" is in the trash`);
    if (file.mimeType === folderMimeType)
      throw new SkyfoldError('invalid_argument', `"${file.name}" is a folder`);
    if (!file.thumbnailLink) return null;
    const link = sizedThumbnailLink(file.thumbnailLink, size);
    const what = `the thumbnail of "${file.name}"`;
    const bytes = await this.api(
      async (auth) => ({ data: await fetchThumbnailLink(this.fetchImpl, link, this.apiBaseUrl, auth, what) }),
      what,
    );
    return bytes && fitThumbnail(bytes, size);
  }

  async hash(id: string, type: HashType): Promise<string> {
    const item = await this.stat(id);
    const value = item.hashes[type];
    if (!this.features.hashTypes.includes(type) || value === undefined) {
      throw new SkyfoldError('invalid_argument', `Google Drive has no ${type} hash for "${item.name}"`);
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Uploads bytes as a new file (`metadata` names it) or as new content of `replaceId`. Small files of
   * known size go in one multipart request after being counted; everything else through a resumable
   * session. The stream's MD5 is compared with Drive's: on a mismatch the new file is deleted.
   */
  private async upload(
    source: Readable,
    metadata: drive_v3.Schema$File,
    size: number | undefined,
    replaceId: string | undefined,
    checkpoint?: UploadCheckpoint,
  ): Promise<drive_v3.Schema$File> {
    const md5 = createHash('md5');
    let received = 0;
    /** The source's bytes, counted and hashed; the first `skip` bytes (already on the server) are not yielded. */
    let sourceFailed = false;
    async function* counted(skip = 0): AsyncGenerator<Buffer> {
      for await (const chunk of failuresMarked(source, () => (sourceFailed = true))) {
        let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        received += buffer.length;
        if (size !== undefined && received > size) {
          throw new SkyfoldError('transient', `the source sent more than the expected ${size} bytes`);
        }
        md5.update(buffer);
        const skipped = Math.min(skip, buffer.length);
        skip -= skipped;
        buffer = buffer.subarray(skipped);
        if (buffer.length > 0) yield buffer;
      }
      if (size !== undefined && received !== size) {
        sourceFailed = true;
        throw new SkyfoldError('transient', `received ${received} bytes of ${size}`);
      }
    }

    let file: drive_v3.Schema$File;
    if (!checkpoint && size !== undefined && size <= (this.options.multipartLimit ?? defaultMultipartLimit)) {
      const chunks: Buffer[] = [];
      for await (const chunk of counted()) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      file = await this.api(
        (headers) => {
          const media = { mimeType: 'application/octet-stream', body: Readable.from([body]) };
          const rootUrl = `${this.apiBaseUrl}/`;
          return replaceId
            ? this.drive.files.update(
                { fileId: replaceId, requestBody: metadata, media, fields: fileFields },
                { headers, rootUrl },
              )
            : this.drive.files.create(
                { requestBody: metadata, media, fields: fileFields },
                { headers, rootUrl },
              );
        },
        `uploading "${metadata.name ?? replaceId}"`,
      );
    } else {
      const resumed = await this.resumableSession(checkpoint, size);
      const sessionUri =
        resumed?.uri ??
        (await this.pacer.call(async () =>
          startResumableSession({
            apiBaseUrl: this.apiBaseUrl,
            accessToken: await this.options.tokens.getAccessToken(),
            metadata,
            ...(replaceId ? { fileId: replaceId } : {}),
            contentType: 'application/octet-stream',
            ...(size !== undefined ? { totalSize: size } : {}),
            fields: fileFields,
            fetch: this.fetchImpl,
          }),
        ));
      const save = (confirmed: number) =>
        checkpoint?.save(JSON.stringify({ uri: sessionUri, size: size ?? null, confirmed }));
      if (!resumed) await save(0);
      try {
        const startOffset = resumed?.confirmed ?? 0;
        file = await uploadThroughSession(
          sessionUri,
          counted(startOffset),
          {
            chunkSize: this.options.chunkSize ?? defaultChunkSize,
            ...(size !== undefined ? { totalSize: size } : {}),
            fetch: this.fetchImpl,
            onProgress: save,
          },
          startOffset,
        );
      } catch (error) {
        const mapped = sourceFailed
          ? new SkyfoldError('transient', `the source failed: ${(error as Error).message}`, { cause: error })
          : toDriveError(error, 'uploading');
        // With a checkpoint, a session that can go on (the source failed, the network broke) is kept
        // for the next attempt; one the server refused is cancelled.
        const resumable = sourceFailed || mapped.code === 'transient' || mapped.code === 'rate_limited';
        if (!checkpoint || !resumable) {
          await cancelSession(sessionUri, this.fetchImpl);
          await checkpoint?.clear();
        }
        throw mapped;
      }
      await checkpoint?.clear();
    }
    const expected = md5.digest('hex');
    if (file.md5Checksum && file.md5Checksum !== expected) {
      if (!replaceId && file.id)
        await this.api(
          (headers) => this.drive.files.delete({ fileId: file.id! }, { headers }),
          'cleanup',
        ).catch(() => undefined);
      throw new StoredBytesMismatch(
        `Google Drive stored different bytes (md5 ${file.md5Checksum}, sent ${expected}); ` +
          (replaceId
            ? 'the file now holds them: its previous content is its previous revision'
            : 'the new file was removed'),
      );
    }
    return file;
  }

  /**
   * The checkpoint's session if the server still has it: its URI and confirmed byte count. A missing,
   * unreadable, expired or mismatched one is cleared (the upload then starts over).
   */
  private async resumableSession(
    checkpoint: UploadCheckpoint | undefined,
    size: number | undefined,
  ): Promise<{ uri: string; confirmed: number } | null> {
    const saved = checkpoint ? await checkpoint.load() : null;
    if (!checkpoint || !saved) return null;
    try {
      const state = JSON.parse(saved) as { uri?: unknown; size?: unknown };
      if (typeof state.uri !== 'string' || (state.size ?? undefined) !== size)
        throw new Error('another upload');
      const status = await querySession(state.uri, size, this.fetchImpl);
      if (status.done) throw new Error('already finished'); // cannot tell it was these bytes: start over
      return { uri: state.uri, confirmed: status.confirmed };
    } catch {
      await checkpoint.clear();
      return null;
    }
  }

  /**
   * Runs one SDK request through the account's pacer (which repeats it on rate limits and transient
   * errors, so `call` must build a fresh request each time) with a bearer token; on 401 the token is
   * refreshed once and the request repeated. Maps errors to shared codes.
   */
  private api<T>(call: (headers: Record<string, string>) => Promise<{ data: T }>, what: string): Promise<T> {
    return this.pacer.call(() => this.authorized(call, what));
  }

  private async authorized<T>(
    call: (headers: Record<string, string>) => Promise<{ data: T }>,
    what: string,
  ): Promise<T> {
    const response = await withAccessToken(
      this.options.tokens,
      (error) => toDriveError(error, `Google Drive, ${what}`),
      (token) => call({ Authorization: `Bearer ${token}` }),
    );
    return response.data;
  }

  /** The file, unless missing or trashed (both not_found). */
  private async liveFile(id: string): Promise<drive_v3.Schema$File> {
    const file = await this.api(
      (headers) => this.drive.files.get({ fileId: id, fields: fileFields }, { headers }),
      `item ${id}`,
    );
    if (file.trashed) throw new SkyfoldError('not_found', `"${file.name}" is in the trash`);
    return file;
  }

  private async liveFolder(id: string): Promise<drive_v3.Schema$File> {
    const folder = await this.liveFile(id);
    if (folder.mimeType !== folderMimeType)
      throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder`);
    return folder;
  }

  /** A live child named exactly `name` (folders first), or undefined. */
  private async childNamed(
    parentId: string,
    name: string,
    exceptId?: string,
  ): Promise<drive_v3.Schema$File | undefined> {
    const page = await this.api(
      (headers) =>
        this.drive.files.list(
          {
            q: `${quoteQ(parentId)} in parents and name = ${quoteQ(name)} and trashed = false`,
            fields: 'files(id,name,mimeType)',
            pageSize: 10,
            orderBy: 'folder',
          },
          { headers },
        ),
      `looking for "${name}"`,
    );
    return (page.files ?? []).find((file) => file.name === name && file.id !== exceptId);
  }

  private async freeName(parentId: string, name: string, exceptId?: string): Promise<string> {
    for (let n = 2; n <= maxNumberedNames; n++) {
      const candidate = numberedName(name, n);
      if (!(await this.childNamed(parentId, candidate, exceptId))) return candidate;
    }
    throw new SkyfoldError('conflict', `no free name for "${name}"`);
  }

  private async resolveName(
    parentId: string,
    name: string,
    policy: 'fail' | 'rename',
    exceptId?: string,
  ): Promise<string> {
    if (!(await this.childNamed(parentId, name, exceptId))) return name;
    if (policy === 'fail') throw new SkyfoldError('conflict', `"${name}" already exists there`);
    return this.freeName(parentId, name, exceptId);
  }

  /** Throws invalid_argument when `targetParentId` is `id` or inside it. */
  private async refuseDescendant(id: string, targetParentId: string, verb: string): Promise<void> {
    let current: string | undefined = targetParentId;
    for (let depth = 0; current && current !== this.rootId && depth < 1000; depth++) {
      if (current === id) throw new SkyfoldError('invalid_argument', `cannot ${verb} a folder into itself`);
      const parent: drive_v3.Schema$File = await this.liveFile(current);
      current = parent.parents?.[0] ?? undefined;
    }
  }

  private checkName(name: string): void {
    const problem = this.nameProblem(name);
    if (problem) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
  }
}

/** Iterates `source`, calling `onFailure` before rethrowing any error the source itself raises. */
async function* failuresMarked(
  source: AsyncIterable<unknown>,
  onFailure: () => void,
): AsyncGenerator<unknown> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await iterator.next();
    } catch (error) {
      onFailure();
      throw error;
    }
    if (next.done) return;
    yield next.value;
  }
}

/** A listAll `next` that is not done, checked: the change feed's start token and the next page token. */
function readCrawl(from: string): { start: string; page: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(from);
  } catch {
    parsed = null;
  }
  const { start, page } = (parsed ?? {}) as { start?: unknown; page?: unknown };
  if (typeof start !== 'string' || !start || typeof page !== 'string' || !page) {
    throw new SkyfoldError('invalid_argument', 'not a Google Drive listing position; list again');
  }
  return { start, page };
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
