/**
 * Drive v3 metadata, download, export and change-feed endpoints under `/drive/v3`, plus the thumbnail
 * links under `/drive-storage`. Each handler checks its query parameters like Google's front end (an
 * unknown one is a 400), authenticates, then answers with the resource masked by `fields`.
 */
import { pipeline } from 'node:stream/promises';
import {
  parseRange,
  readBody,
  sendBuffer,
  sendEmpty,
  sendText,
  type RequestContext,
  type Router,
} from '../shared/http';
import { contentSize, openContent } from './content';
import type { DriveApi } from './context';
import {
  conversionNotSupported,
  exportSizeLimitExceeded,
  fileNotDownloadable,
  fileNotExportable,
  insufficientFilePermissions,
  invalidJson,
  invalidParameter,
  rangeNotSatisfiable,
  requiredParameter,
  sharedDriveNotFound,
  wrongUrlForUpload,
} from './errors';
import { exportDocument } from './export';
import {
  ABOUT_SCHEMA,
  CHANGE_LIST_SCHEMA,
  DEFAULT_CHANGES_FIELDS,
  DEFAULT_LIST_FIELDS,
  FILE_LIST_SCHEMA,
  GENERATED_IDS_SCHEMA,
  START_PAGE_TOKEN_SCHEMA,
  applyMask,
  maskFor,
  type Mask,
} from './fields';
import { newFileId } from './ids';
import { listFiles, parsePageSize } from './listing';
import { parseMetadataBody, validateFileInput } from './metadata';
import { isBinaryMime, nativeDocType } from './mime';
import { commitCreate, commitUpdate, copyItem, prepareCreate, prepareUpdate } from './operations';
import { aboutResource, fileResource, iso } from './resource';
import { fileMask, respondFile } from './respond';

const STANDARD = [
  '$.xgafv',
  'access_token',
  'alt',
  'callback',
  'fields',
  'key',
  'oauth_token',
  'prettyPrint',
  'quotaUser',
  'upload_protocol',
  'uploadType',
  'userIp',
];
const DRIVES = ['supportsAllDrives', 'supportsTeamDrives'];
const LABELS = ['includeLabels', 'includePermissionsForView'];
/** Query parameters each method accepts (from the Drive v3 discovery document). */
const METHOD_PARAMS: Record<string, readonly string[]> = {
  'about.get': [],
  'files.list': [
    'corpora',
    'corpus',
    'driveId',
    'includeItemsFromAllDrives',
    'includeTeamDriveItems',
    'orderBy',
    'pageSize',
    'pageToken',
    'q',
    'spaces',
    'teamDriveId',
    ...LABELS,
    ...DRIVES,
  ],
  'files.create': [
    'enforceSingleParent',
    'ignoreDefaultVisibility',
    'keepRevisionForever',
    'ocrLanguage',
    'useContentAsIndexableText',
    ...LABELS,
    ...DRIVES,
  ],
  'files.update': [
    'addParents',
    'removeParents',
    'enforceSingleParent',
    'keepRevisionForever',
    'ocrLanguage',
    'useContentAsIndexableText',
    ...LABELS,
    ...DRIVES,
  ],
  'files.copy': [
    'copyComments',
    'enforceSingleParent',
    'ignoreDefaultVisibility',
    'keepRevisionForever',
    'ocrLanguage',
    ...LABELS,
    ...DRIVES,
  ],
  'files.get': ['acknowledgeAbuse', ...LABELS, ...DRIVES],
  'files.export': ['mimeType'],
  'files.delete': ['enforceSingleParent', ...DRIVES],
  'files.emptyTrash': ['driveId', 'enforceSingleParent'],
  'files.generateIds': ['count', 'space', 'type'],
  'changes.list': [
    'driveId',
    'includeCorpusRemovals',
    'includeItemsFromAllDrives',
    'includeRemoved',
    'includeTeamDriveItems',
    'pageSize',
    'pageToken',
    'restrictToMyDrive',
    'spaces',
    'teamDriveId',
    ...LABELS,
    ...DRIVES,
  ],
  'changes.getStartPageToken': ['driveId', 'teamDriveId', ...DRIVES],
};

/** 400 for a query parameter the method does not define, as Google's front end answers. */
export function checkParams(ctx: RequestContext, method: string): void {
  const allowed = METHOD_PARAMS[method] ?? [];
  for (const name of ctx.url.searchParams.keys()) {
    if (!STANDARD.includes(name) && !allowed.includes(name))
      throw invalidJson(
        `Unknown name ${JSON.stringify(name)}: Cannot bind query parameter. Field '${name}' could not be found in request message.`,
      );
  }
}

const bool = (value: string | null, fallback: boolean) => (value === null ? fallback : value === 'true');

export function registerFileRoutes(router: Router, api: DriveApi): void {
  const noUpload = (ctx: RequestContext) => {
    const uploadType = ctx.url.searchParams.get('uploadType');
    if (uploadType) throw wrongUrlForUpload(uploadType);
  };

  const readInput = async (ctx: RequestContext, mode: 'create' | 'update' | 'copy') =>
    validateFileInput(parseMetadataBody(await readBody(ctx.body, api.limits.metadataBodyLimitBytes)), mode);

  const checkSpaces = (value: string | null): boolean => {
    const spaces = (value ?? 'drive').split(',').map((s) => s.trim());
    if (spaces.some((s) => s !== 'drive' && s !== 'appDataFolder' && s !== 'photos'))
      throw invalidParameter('spaces');
    return spaces.includes('drive');
  };

  router.on('GET', '/drive/v3/about', (ctx) => {
    checkParams(ctx, 'about.get');
    const store = api.authorize(ctx, 'metadata');
    const fields = ctx.url.searchParams.get('fields');
    if (fields === null || fields.trim() === '')
      throw requiredParameter('fields', "The 'fields' parameter is required for this method.");
    const mask = maskFor(fields, ABOUT_SCHEMA, '');
    api.respond(ctx, 200, applyMask(aboutResource(store), mask));
  });

  router.on('GET', '/drive/v3/files', (ctx) => {
    checkParams(ctx, 'files.list');
    const store = api.authorize(ctx, 'metadata');
    const query = ctx.url.searchParams;
    const mask = maskFor(query.get('fields'), FILE_LIST_SCHEMA, DEFAULT_LIST_FIELDS);
    const corpora = query.get('corpora') ?? 'user';
    if (!['user', 'domain', 'drive', 'allDrives'].includes(corpora)) throw invalidParameter('corpora');
    const driveId = query.get('driveId');
    if ((corpora === 'drive') !== (driveId !== null))
      throw invalidParameter(
        'driveId',
        'The driveId parameter must be specified if and only if corpora is set to drive.',
      );
    if (driveId !== null) throw sharedDriveNotFound(driveId);
    const inDrive = checkSpaces(query.get('spaces'));
    const page = inDrive
      ? listFiles(store, {
          q: query.get('q'),
          orderBy: query.get('orderBy'),
          pageSize: query.get('pageSize'),
          pageToken: query.get('pageToken'),
        })
      : { records: [], nextPageToken: undefined };
    const filesMask = mask.get('files') ?? mask.get('*');
    const render = api.renderContext(ctx, store);
    const body: Record<string, unknown> = { kind: 'drive#fileList' };
    if (page.nextPageToken !== undefined) body.nextPageToken = page.nextPageToken;
    body.incompleteSearch = false;
    body.files = filesMask === undefined ? [] : page.records.map((r) => fileResource(r, render, filesMask));
    api.respond(ctx, 200, applyMask(body, mask));
  });

  router.on('POST', '/drive/v3/files', async (ctx) => {
    checkParams(ctx, 'files.create');
    noUpload(ctx);
    const store = api.authorize(ctx, 'write');
    const mask = fileMask(ctx.url.searchParams.get('fields'));
    const input = await readInput(ctx, 'create');
    const record = await commitCreate(api, store, prepareCreate(store, input));
    respondFile(api, ctx, store, record, mask);
  });

  router.on('GET', '/drive/v3/files/generateIds', (ctx) => {
    checkParams(ctx, 'files.generateIds');
    const store = api.authorize(ctx, 'metadata');
    const query = ctx.url.searchParams;
    const mask = maskFor(query.get('fields'), GENERATED_IDS_SCHEMA, 'kind,space,ids');
    const count = query.get('count') === null ? 10 : Number(query.get('count'));
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalidParameter('count');
    const space = query.get('space') ?? 'drive';
    if (space !== 'drive' && space !== 'appDataFolder') throw invalidParameter('space');
    const type = query.get('type') ?? 'files';
    if (type !== 'files' && type !== 'shortcuts') throw invalidParameter('type');
    const ids = Array.from({ length: count }, () => newFileId());
    for (const id of ids) {
      store.generatedIds.add(id);
      if (store.generatedIds.size > 100_000)
        store.generatedIds.delete(store.generatedIds.values().next().value as string);
    }
    api.respond(ctx, 200, applyMask({ kind: 'drive#generatedIds', space, ids }, mask));
  });

  router.on('DELETE', '/drive/v3/files/trash', (ctx) => {
    checkParams(ctx, 'files.emptyTrash');
    const store = api.authorize(ctx, 'write');
    const driveId = ctx.url.searchParams.get('driveId');
    if (driveId !== null) throw sharedDriveNotFound(driveId);
    store.emptyTrash();
    sendEmpty(ctx.res, 204);
  });

  router.on('GET', '/drive/v3/files/:fileId', async (ctx) => {
    checkParams(ctx, 'files.get');
    const query = ctx.url.searchParams;
    const alt = query.get('alt') ?? 'json';
    if (alt !== 'json' && alt !== 'media') throw invalidParameter('alt');
    if (alt === 'json') {
      const store = api.authorize(ctx, 'metadata');
      const mask = fileMask(query.get('fields'));
      respondFile(api, ctx, store, store.require(ctx.params.fileId as string), mask);
      return;
    }
    const store = api.authorize(ctx, 'content');
    const record = store.require(ctx.params.fileId as string);
    if (!record.content || !isBinaryMime(record.mimeType)) throw fileNotDownloadable();
    const size = contentSize(record.content);
    const range = parseRange(ctx.req.headers.range, size);
    if (range === null) throw rangeNotSatisfiable(size);
    const headers: Record<string, string | number> = {
      'Content-Type': record.mimeType,
      'Cache-Control': 'private, max-age=0, must-revalidate',
      'X-GUploader-UploadID': `download-${record.id.slice(0, 12)}`,
    };
    const { start, end } = range ?? { start: 0, end: size };
    headers['Content-Length'] = end - start;
    if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    ctx.res.writeHead(range ? 206 : 200, headers);
    try {
      await pipeline(openContent(record.content, start, end), ctx.res);
    } catch {
      ctx.res.destroy();
    }
  });

  router.on('PATCH', '/drive/v3/files/:fileId', async (ctx) => {
    checkParams(ctx, 'files.update');
    noUpload(ctx);
    const store = api.authorize(ctx, 'write');
    const query = ctx.url.searchParams;
    const mask = fileMask(query.get('fields'));
    const input = await readInput(ctx, 'update');
    const prepared = prepareUpdate(
      store,
      ctx.params.fileId as string,
      input,
      query.get('addParents'),
      query.get('removeParents'),
    );
    const record = await commitUpdate(api, store, prepared);
    respondFile(api, ctx, store, record, mask);
  });

  router.on('DELETE', '/drive/v3/files/:fileId', (ctx) => {
    checkParams(ctx, 'files.delete');
    const store = api.authorize(ctx, 'write');
    const record = store.require(ctx.params.fileId as string);
    if (record === store.root) throw insufficientFilePermissions();
    store.delete(record);
    sendEmpty(ctx.res, 204);
  });

  router.on('POST', '/drive/v3/files/:fileId/copy', async (ctx) => {
    checkParams(ctx, 'files.copy');
    noUpload(ctx);
    const store = api.authorize(ctx, 'write');
    const mask = fileMask(ctx.url.searchParams.get('fields'));
    const input = await readInput(ctx, 'copy');
    const record = copyItem(api, store, ctx.params.fileId as string, input);
    respondFile(api, ctx, store, record, mask);
  });

  router.on('GET', '/drive/v3/files/:fileId/export', (ctx) => {
    checkParams(ctx, 'files.export');
    const store = api.authorize(ctx, 'content');
    const target = ctx.url.searchParams.get('mimeType');
    if (!target) throw requiredParameter('mimeType');
    const record = store.require(ctx.params.fileId as string);
    const type = nativeDocType(record.mimeType);
    if (!type || record.content?.kind !== 'native') throw fileNotExportable();
    const bytes = exportDocument(type, record.name, record.content.text, target);
    if (!bytes) throw conversionNotSupported();
    if (bytes.length > api.limits.exportSizeLimitBytes) throw exportSizeLimitExceeded();
    sendBuffer(ctx.res, 200, bytes, target, { 'Cache-Control': 'private, max-age=0' });
  });

  router.on('GET', '/drive/v3/changes/startPageToken', (ctx) => {
    checkParams(ctx, 'changes.getStartPageToken');
    const store = api.authorize(ctx, 'metadata');
    const mask = maskFor(ctx.url.searchParams.get('fields'), START_PAGE_TOKEN_SCHEMA, 'kind,startPageToken');
    api.respond(
      ctx,
      200,
      applyMask({ kind: 'drive#startPageToken', startPageToken: String(store.startPageToken) }, mask),
    );
  });

  router.on('GET', '/drive/v3/changes', (ctx) => {
    checkParams(ctx, 'changes.list');
    const store = api.authorize(ctx, 'metadata');
    const query = ctx.url.searchParams;
    const mask = maskFor(query.get('fields'), CHANGE_LIST_SCHEMA, DEFAULT_CHANGES_FIELDS);
    const token = query.get('pageToken');
    if (token === null) throw requiredParameter('pageToken');
    if (!/^\d+$/.test(token) || Number(token) < 1) throw invalidParameter('pageToken');
    const pageSize = parsePageSize(query.get('pageSize'));
    const includeRemoved = bool(query.get('includeRemoved'), true);
    const restrict = bool(query.get('restrictToMyDrive'), false);
    const inDrive = checkSpaces(query.get('spaces'));
    const changesMask = mask.get('changes') ?? mask.get('*');
    const fileMaskOf = (m: Mask | true | undefined): Mask | true =>
      m === undefined ? new Map() : m === true ? true : (m.get('file') ?? m.get('*') ?? new Map());
    const render = api.renderContext(ctx, store);
    const changes: Record<string, unknown>[] = [];
    let from = Number(token);
    let continueAt: number | undefined;
    // Skipped entries (removals when includeRemoved=false, orphans with restrictToMyDrive) do not count.
    while (inDrive && changes.length < pageSize) {
      const page = store.changesSince(from, pageSize - changes.length);
      for (const entry of page.entries) {
        if (!entry.record && !includeRemoved) continue;
        if (entry.record && restrict && entry.record.parent === null) continue;
        const change: Record<string, unknown> = {
          kind: 'drive#change',
          removed: entry.record === undefined,
        };
        if (entry.record) change.file = fileResource(entry.record, render, fileMaskOf(changesMask));
        change.fileId = entry.fileId;
        change.time = iso(entry.time);
        change.type = 'file';
        change.changeType = 'file';
        changes.push(change);
      }
      continueAt = page.continueAt;
      if (continueAt === undefined) break;
      from = continueAt;
    }
    const body: Record<string, unknown> = { kind: 'drive#changeList' };
    if (continueAt !== undefined && inDrive) body.nextPageToken = String(continueAt);
    else body.newStartPageToken = String(store.startPageToken);
    body.changes = changes;
    api.respond(ctx, 200, applyMask(body, mask));
  });

  router.on('GET', '/drive-storage/:token', async (ctx) => {
    const claim = api.thumbnails.verify(ctx.params.token as string);
    const record = claim && api.store(claim.email)?.get(claim.fileId);
    if (!claim || !record?.content || record.headRevision !== claim.revision) {
      sendText(ctx.res, 404, 'Not Found');
      return;
    }
    // No emulated file is shared publicly, so the link wants a credentialed request by its owner.
    if (!ownedBy(ctx, claim.email)) {
      sendText(ctx.res, 403, 'Forbidden');
      return;
    }
    const png = await api.thumbnails.render(
      `${record.id}:${record.headRevision}`,
      record.content,
      claim.size,
    );
    sendBuffer(ctx.res, 200, png, 'image/png', { 'Cache-Control': 'private, max-age=86400' });
  });

  /** Whether the request carries a valid token (able to read content) of the user `email`. */
  const ownedBy = (ctx: RequestContext, email: string): boolean => {
    try {
      return api.authorize(ctx, 'content').user.email === email;
    } catch {
      return false;
    }
  };
}
