/**
 * Google partial-response field masks (`fields=`): `kind,nextPageToken,files(id,name,parents)`,
 * `user/emailAddress`, `files(capabilities/canEdit)`, `*`, `files(*)`. Parsed into a tree, validated
 * against the resource schema (an unknown name -> 400 "Invalid field selection NAME"), then applied:
 * selected fields that the resource does not have are simply absent.
 */
import { invalidFieldSelection } from './errors';

/** A selection: field name -> `true` (the whole value) or a nested selection. `*` selects every field. */
export type Mask = Map<string, Mask | true>;

/** A schema: field name -> 'scalar', 'map' (free-form object: any sub-selection), or a nested schema. */
export type Schema = { readonly [name: string]: 'scalar' | 'map' | Schema };

/** Parses a mask; throws 400 invalidParameter on syntax errors. */
export function parseFields(text: string): Mask {
  const parser = new MaskParser(text);
  const mask = parser.list(false);
  if (!parser.done()) throw invalidFieldSelection(text);
  return mask;
}

class MaskParser {
  private at = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    this.skipSpaces();
    return this.at >= this.text.length;
  }

  list(nested: boolean): Mask {
    const mask: Mask = new Map();
    for (;;) {
      this.skipSpaces();
      const path = this.path();
      this.skipSpaces();
      let leaf: Mask | true = true;
      if (this.text[this.at] === '(') {
        this.at++;
        leaf = this.list(true);
        if (this.text[this.at] !== ')') throw invalidFieldSelection(this.text);
        this.at++;
        this.skipSpaces();
      }
      merge(mask, path, leaf);
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      if (nested ? this.text[this.at] === ')' : this.at >= this.text.length) return mask;
      throw invalidFieldSelection(this.text);
    }
  }

  private path(): string[] {
    const names: string[] = [];
    for (;;) {
      const match = /^(\*|[A-Za-z_$][\w$.-]*)/.exec(this.text.slice(this.at));
      if (!match) throw invalidFieldSelection(this.text.slice(this.at) || this.text);
      names.push(match[1] as string);
      this.at += match[1]!.length;
      if (this.text[this.at] !== '/') return names;
      this.at++;
    }
  }

  private skipSpaces(): void {
    while (this.text[this.at] === ' ') this.at++;
  }
}

function merge(mask: Mask, path: readonly string[], leaf: Mask | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  const value: Mask | true = rest.length === 0 ? leaf : pathMask(rest, leaf);
  const existing = mask.get(head);
  if (existing === true || value === true) {
    mask.set(head, true);
    return;
  }
  if (!existing) {
    mask.set(head, value);
    return;
  }
  for (const [key, sub] of value) merge(existing, [key], sub);
}

function pathMask(path: readonly string[], leaf: Mask | true): Mask {
  const mask: Mask = new Map();
  merge(mask, path, leaf);
  return mask;
}

/** Checks every selected name against the schema; throws 400 naming the first unknown one (its own name). */
export function validateMask(mask: Mask, schema: Schema): void {
  for (const [name, sub] of mask) {
    if (name === '*') continue;
    const field = schema[name];
    if (field === undefined) throw invalidFieldSelection(name);
    if (sub === true || field === 'map') continue;
    if (field === 'scalar') throw invalidFieldSelection(name);
    validateMask(sub, field);
  }
}

/** Applies a mask to a JSON value; arrays apply the mask to each element. */
export function applyMask(value: unknown, mask: Mask | true): unknown {
  if (mask === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => applyMask(item, mask));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const all = mask.get('*');
  for (const [key, field] of Object.entries(source)) {
    const selected = mask.get(key) ?? all;
    if (selected === undefined || field === undefined) continue;
    out[key] = applyMask(field, selected);
  }
  return out;
}

/** Parses, validates and returns a mask for an optional `fields` parameter, or the default. */
export function maskFor(fields: string | null, schema: Schema, fallback: string): Mask {
  const mask = parseFields(fields === null || fields.trim() === '' ? fallback : fields);
  validateMask(mask, schema);
  return mask;
}

const USER: Schema = {
  displayName: 'scalar',
  emailAddress: 'scalar',
  kind: 'scalar',
  me: 'scalar',
  permissionId: 'scalar',
  photoLink: 'scalar',
};

/** The v3 File resource (every documented field, so valid masks never fail). */
export const FILE_SCHEMA: Schema = {
  appProperties: 'map',
  capabilities: 'map',
  clientEncryptionDetails: 'map',
  contentHints: 'map',
  contentRestrictions: 'map',
  copyRequiresWriterPermission: 'scalar',
  createdTime: 'scalar',
  description: 'scalar',
  downloadRestrictions: 'map',
  driveId: 'scalar',
  explicitlyTrashed: 'scalar',
  exportLinks: 'map',
  fileExtension: 'scalar',
  folderColorRgb: 'scalar',
  fullFileExtension: 'scalar',
  hasAugmentedPermissions: 'scalar',
  hasThumbnail: 'scalar',
  headRevisionId: 'scalar',
  iconLink: 'scalar',
  id: 'scalar',
  imageMediaMetadata: 'map',
  inheritedPermissionsDisabled: 'scalar',
  isAppAuthorized: 'scalar',
  kind: 'scalar',
  labelInfo: 'map',
  lastModifyingUser: USER,
  linkShareMetadata: 'map',
  md5Checksum: 'scalar',
  mimeType: 'scalar',
  modifiedByMe: 'scalar',
  modifiedByMeTime: 'scalar',
  modifiedTime: 'scalar',
  name: 'scalar',
  originalFilename: 'scalar',
  ownedByMe: 'scalar',
  owners: USER,
  parents: 'scalar',
  permissionIds: 'scalar',
  permissions: 'map',
  properties: 'map',
  quotaBytesUsed: 'scalar',
  resourceKey: 'scalar',
  sha1Checksum: 'scalar',
  sha256Checksum: 'scalar',
  shared: 'scalar',
  sharedWithMeTime: 'scalar',
  sharingUser: USER,
  shortcutDetails: { targetId: 'scalar', targetMimeType: 'scalar', targetResourceKey: 'scalar' },
  size: 'scalar',
  spaces: 'scalar',
  starred: 'scalar',
  teamDriveId: 'scalar',
  thumbnailLink: 'scalar',
  thumbnailVersion: 'scalar',
  trashed: 'scalar',
  trashedTime: 'scalar',
  trashingUser: USER,
  version: 'scalar',
  videoMediaMetadata: 'map',
  viewedByMe: 'scalar',
  viewedByMeTime: 'scalar',
  viewersCanCopyContent: 'scalar',
  webContentLink: 'scalar',
  webViewLink: 'scalar',
  writersCanShare: 'scalar',
};

export const FILE_LIST_SCHEMA: Schema = {
  files: FILE_SCHEMA,
  incompleteSearch: 'scalar',
  kind: 'scalar',
  nextPageToken: 'scalar',
};

export const CHANGE_LIST_SCHEMA: Schema = {
  changes: {
    changeType: 'scalar',
    drive: 'map',
    driveId: 'scalar',
    file: FILE_SCHEMA,
    fileId: 'scalar',
    kind: 'scalar',
    removed: 'scalar',
    teamDrive: 'map',
    teamDriveId: 'scalar',
    time: 'scalar',
    type: 'scalar',
  },
  kind: 'scalar',
  newStartPageToken: 'scalar',
  nextPageToken: 'scalar',
};

export const ABOUT_SCHEMA: Schema = {
  appInstalled: 'scalar',
  canCreateDrives: 'scalar',
  canCreateTeamDrives: 'scalar',
  driveThemes: 'map',
  exportFormats: 'map',
  folderColorPalette: 'scalar',
  importFormats: 'map',
  kind: 'scalar',
  maxImportSizes: 'map',
  maxUploadSize: 'scalar',
  storageQuota: { limit: 'scalar', usage: 'scalar', usageInDrive: 'scalar', usageInDriveTrash: 'scalar' },
  teamDriveThemes: 'map',
  user: USER,
};

export const START_PAGE_TOKEN_SCHEMA: Schema = { kind: 'scalar', startPageToken: 'scalar' };

export const GENERATED_IDS_SCHEMA: Schema = { ids: 'scalar', kind: 'scalar', space: 'scalar' };

/** Default masks when a request names no `fields` (Drive v3 returns these subsets). */
export const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType,resourceKey';
export const DEFAULT_LIST_FIELDS = `kind,nextPageToken,incompleteSearch,files(${DEFAULT_FILE_FIELDS})`;
export const DEFAULT_CHANGES_FIELDS = `kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,file(${DEFAULT_FILE_FIELDS}))`;
