/**
 * files/get_thumbnail_v2 (ThumbnailV2Arg -> PreviewResult `{file_metadata}` in `Dropbox-API-Result`,
 * errors ThumbnailV2Error) and the older files/get_thumbnail (ThumbnailArg -> FileMetadata, errors
 * ThumbnailError), both download-style routes on the content host. Thumbnails of shared links are not
 * emulated: `link` answers `not_found` ("the shared link does not exist").
 */
import type { Router } from '../shared/http';
import { bool, optional, required, string, struct, union, voidUnion, withDefault } from './args';
import type { ContentDeps } from './context';
import { RouteError, commonHeaders, tag } from './errors';
import { fileMetadata } from './metadata';
import { resolveFile } from './operations';
import { PATTERNS } from './paths';
import { headerSafeJson } from './routes-content';
import { registerRoute } from './rpc';
import { THUMBNAIL_SIZES, type Thumbnails } from './thumbnails';
import type { DropboxStore } from './store';
import type { RequestContext } from '../shared/http';

const thumbnailOptions = {
  format: withDefault(voidUnion(['jpeg', 'png', 'webp'] as const), 'jpeg'),
  size: withDefault(voidUnion([...Object.keys(THUMBNAIL_SIZES)] as string[]), 'w64h64'),
  mode: withDefault(voidUnion(['strict', 'bestfit', 'fitone_bestfit', 'original'] as const), 'strict'),
  quality: withDefault(voidUnion(['quality_80', 'quality_90'] as const), 'quality_80'),
  exclude_media_info: optional(bool),
};

type Options = {
  [K in keyof typeof thumbnailOptions]: ReturnType<(typeof thumbnailOptions)[K]['decoder']['decode']>;
};

export function registerThumbnailRoutes(router: Router, deps: ContentDeps, thumbnails: Thumbnails): void {
  const serve = async (
    ctx: RequestContext,
    store: DropboxStore,
    path: string,
    options: Options,
    result: (metadata: Record<string, unknown>) => unknown,
  ) => {
    const { file } = resolveFile(store, path, 'path');
    const outcome = await thumbnails.render(
      `${store.account.email}:${file.rev}`,
      file.name,
      file.content,
      options,
    );
    if (!outcome.ok) throw new RouteError(tag(outcome.error));
    const metadata = fileMetadata(store, file, { tagged: false });
    ctx.res.writeHead(200, {
      ...commonHeaders(),
      'Content-Type': 'application/octet-stream',
      'Content-Length': outcome.bytes.length,
      'Dropbox-API-Result': headerSafeJson(result(metadata)),
    });
    ctx.res.end(outcome.bytes);
  };

  registerRoute(router, deps, {
    name: 'files/get_thumbnail_v2',
    style: 'download',
    scope: 'files.content.read',
    arg: struct({
      resource: required(
        union(
          {
            path: string({ pattern: PATTERNS.readPath }),
            link: struct({ url: required(string()), path: optional(string()), password: optional(string()) }),
          },
          ['link'],
        ),
      ),
      ...thumbnailOptions,
    }),
    handle: async ({ ctx, store, arg }) => {
      if (arg.resource.tag === 'link') throw new RouteError(tag('not_found'));
      await serve(ctx, store, arg.resource.value as string, arg, (metadata) => ({ file_metadata: metadata }));
    },
  });

  registerRoute(router, deps, {
    name: 'files/get_thumbnail',
    style: 'download',
    scope: 'files.content.read',
    arg: struct({ path: required(string({ pattern: PATTERNS.readPath })), ...thumbnailOptions }),
    handle: async ({ ctx, store, arg }) => serve(ctx, store, arg.path, arg, (metadata) => metadata),
  });
}
