/**
 * Renders records as Drive v3 resources (File, About). Times are RFC 3339 UTC with milliseconds;
 * int64 values (`size`, `version`, `quotaBytesUsed`, quota numbers) are JSON strings; checksums appear
 * only for binary content and are computed only when the field mask asks for them.
 */
import { pngSize } from '../shared/png';
import { contentSize, type Digests } from './content';
import { exportFormats } from './export';
import type { Mask } from './fields';
import { FOLDER, SHORTCUT, extensions, isBinaryMime, nativeDocType } from './mime';
import type { DriveStore, DriveUser, FileRecord } from './store';
import { hasThumbnail, type Thumbnails } from './thumbnails';

export interface RenderContext {
  /** The origin the client used (links point back to it). */
  origin: string;
  store: DriveStore;
  thumbnails: Thumbnails;
}

export const iso = (ms: number) => new Date(ms).toISOString();

function userResource(user: DriveUser): Record<string, unknown> {
  return {
    kind: 'drive#user',
    displayName: user.displayName,
    photoLink: `https://lh3.googleusercontent.com/a/default-user=s64`,
    me: true,
    permissionId: user.permissionId,
    emailAddress: user.email,
  };
}

/** True when a mask (or its `*`) selects `field`. */
export const selects = (mask: Mask | true, field: string) =>
  mask === true || mask.has(field) || mask.has('*');

function capabilities(record: FileRecord, isRoot: boolean): Record<string, boolean> {
  const folder = record.mimeType === FOLDER;
  const binary = isBinaryMime(record.mimeType);
  return {
    canAcceptOwnership: false,
    canAddChildren: folder,
    canAddMyDriveParent: false,
    canChangeCopyRequiresWriterPermission: !folder,
    canChangeViewersCanCopyContent: !folder,
    canComment: !folder,
    canCopy: !folder,
    canDelete: !isRoot,
    canDeleteChildren: folder,
    canDownload: true,
    canEdit: true,
    canListChildren: folder,
    canModifyContent: true,
    canModifyLabels: false,
    canMoveChildrenWithinDrive: folder,
    canMoveItemOutOfDrive: !isRoot,
    canMoveItemWithinDrive: !isRoot,
    canReadLabels: false,
    canReadRevisions: binary && !folder,
    canRemoveChildren: folder,
    canRemoveMyDriveParent: !isRoot,
    canRename: !isRoot,
    canShare: !isRoot,
    canTrash: !isRoot,
    canTrashChildren: folder,
    canUntrash: !isRoot,
  };
}

function webViewLink(record: FileRecord): string {
  const type = nativeDocType(record.mimeType);
  if (record.mimeType === FOLDER) return `https://drive.google.com/drive/folders/${record.id}`;
  if (type) return `https://docs.google.com/${type}/d/${record.id}/edit?usp=drivesdk`;
  return `https://drive.google.com/file/d/${record.id}/view?usp=drivesdk`;
}

/** Digests of a record's binary content (synthetic content is hashed on first use). */
function digestsOf(record: FileRecord, store: DriveStore): Digests | undefined {
  const content = record.content;
  if (!content || !isBinaryMime(record.mimeType)) return undefined;
  switch (content.kind) {
    case 'blob':
      return content.blob.digests;
    case 'bytes':
      return content.digests;
    case 'synthetic':
      return store.syntheticDigests.get(content.key, content.size);
    case 'native':
      return undefined;
  }
}

function imageSize(record: FileRecord): { width: number; height: number } | undefined {
  const content = record.content;
  if (content?.kind === 'blob') return content.blob.image;
  if (content?.kind === 'bytes') return pngSize(content.data);
  return undefined;
}

/** The full File resource (what `fields=*` returns); `mask` only gates costly fields. */
export function fileResource(
  record: FileRecord,
  ctx: RenderContext,
  mask: Mask | true,
): Record<string, unknown> {
  const { store } = ctx;
  const isRoot = record === store.root;
  const binary = isBinaryMime(record.mimeType) && record.content !== undefined;
  const native = nativeDocType(record.mimeType);
  const user = userResource(store.user);
  const file: Record<string, unknown> = {
    kind: 'drive#file',
    id: record.id,
    name: record.name,
    mimeType: record.mimeType,
    starred: record.starred,
    trashed: record.trashed,
    explicitlyTrashed: record.explicitlyTrashed,
  };
  if (record.parent !== null) file.parents = [record.parent];
  if (record.description !== undefined) file.description = record.description;
  if (record.properties && Object.keys(record.properties).length > 0) file.properties = record.properties;
  if (record.appProperties && Object.keys(record.appProperties).length > 0)
    file.appProperties = record.appProperties;
  file.spaces = ['drive'];
  file.version = String(record.version);
  file.webViewLink = webViewLink(record);
  file.iconLink = `https://drive-thirdparty.googleusercontent.com/16/type/${record.mimeType}`;
  file.hasThumbnail = hasThumbnail(record.mimeType);
  if (hasThumbnail(record.mimeType) && selects(mask, 'thumbnailLink')) {
    file.thumbnailLink = ctx.thumbnails.link(ctx.origin, {
      email: store.user.email,
      fileId: record.id,
      revision: record.headRevision,
    });
  }
  file.thumbnailVersion = hasThumbnail(record.mimeType) ? String(record.headRevision) : '0';
  file.viewedByMe = record.viewedByMeTime !== undefined;
  if (record.viewedByMeTime !== undefined) file.viewedByMeTime = iso(record.viewedByMeTime);
  file.createdTime = iso(record.createdTime);
  file.modifiedTime = iso(record.modifiedTime);
  file.modifiedByMeTime = iso(record.modifiedTime);
  file.modifiedByMe = true;
  file.owners = [user];
  file.lastModifyingUser = user;
  file.shared = false;
  file.ownedByMe = true;
  file.capabilities = capabilities(record, isRoot);
  file.viewersCanCopyContent = true;
  file.copyRequiresWriterPermission = false;
  file.writersCanShare = true;
  file.permissionIds = [store.user.permissionId];
  if (record.folderColorRgb !== undefined) file.folderColorRgb = record.folderColorRgb;
  if (record.mimeType === SHORTCUT && record.shortcutTarget) {
    file.shortcutDetails = {
      targetId: record.shortcutTarget.id,
      targetMimeType: record.shortcutTarget.mimeType,
    };
  }
  if (native) {
    const links: Record<string, string> = {};
    for (const target of exportFormats()[record.mimeType] ?? []) {
      links[target] =
        `${ctx.origin}/drive/v3/files/${record.id}/export?mimeType=${encodeURIComponent(target)}`;
    }
    file.exportLinks = links;
    if (record.content) file.size = String(contentSize(record.content));
    file.quotaBytesUsed = '0';
  }
  if (binary && record.content) {
    file.originalFilename = record.originalFilename ?? record.name;
    const ext = extensions(record.name);
    if (ext) {
      file.fullFileExtension = ext.full;
      file.fileExtension = ext.last;
    }
    if (selects(mask, 'md5Checksum') || selects(mask, 'sha1Checksum') || selects(mask, 'sha256Checksum')) {
      const digests = digestsOf(record, store);
      if (digests) {
        file.md5Checksum = digests.md5;
        file.sha1Checksum = digests.sha1;
        file.sha256Checksum = digests.sha256;
      }
    }
    file.size = String(contentSize(record.content));
    file.quotaBytesUsed = file.size;
    file.headRevisionId = `0B${record.id.slice(1, 21)}${record.headRevision}`;
    file.webContentLink = `https://drive.google.com/uc?id=${record.id}&export=download`;
    const image = imageSize(record);
    if (image) file.imageMediaMetadata = { width: image.width, height: image.height, rotation: 0 };
  } else if (!native) {
    file.quotaBytesUsed = '0';
  }
  file.isAppAuthorized = false;
  file.linkShareMetadata = { securityUpdateEligible: false, securityUpdateEnabled: true };
  file.inheritedPermissionsDisabled = false;
  return file;
}

/** Import formats (text sources into native documents) for about.importFormats. */
const IMPORT_FORMATS: Record<string, string[]> = {
  'text/plain': ['application/vnd.google-apps.document'],
  'text/markdown': ['application/vnd.google-apps.document'],
  'text/html': ['application/vnd.google-apps.document'],
  'text/csv': ['application/vnd.google-apps.spreadsheet'],
  'text/tab-separated-values': ['application/vnd.google-apps.spreadsheet'],
};

export const MAX_UPLOAD_SIZE = 5_497_558_138_880; // 5,120 GB

export function aboutResource(store: DriveStore): Record<string, unknown> {
  const storageQuota: Record<string, string> = {};
  if (store.quotaLimit !== null) storageQuota.limit = String(store.quotaLimit);
  storageQuota.usage = String(store.usage);
  storageQuota.usageInDrive = String(store.usage);
  storageQuota.usageInDriveTrash = String(store.trashUsage);
  return {
    kind: 'drive#about',
    user: userResource(store.user),
    storageQuota,
    importFormats: IMPORT_FORMATS,
    exportFormats: exportFormats(),
    maxImportSizes: {
      'application/vnd.google-apps.document': '10485760',
      'application/vnd.google-apps.spreadsheet': '104857600',
    },
    maxUploadSize: String(MAX_UPLOAD_SIZE),
    appInstalled: false,
    folderColorPalette: [
      '#ac725e',
      '#d06b64',
      '#f83a22',
      '#fa573c',
      '#ff7537',
      '#16a765',
      '#4986e7',
      '#8f8f8f',
    ],
    driveThemes: [],
    canCreateDrives: false,
    canCreateTeamDrives: false,
    teamDriveThemes: [],
  };
}
