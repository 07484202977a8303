/**
 * Thumbnails from Graph (https://learn.microsoft.com/graph/api/driveitem-list-thumbnails):
 * `GET items/{id}/thumbnails` lists thumbnail sets (`{value: [{id, small, medium, large}]}`, each
 * size `{width, height, url}`; an empty list when OneDrive has none), and each `url` is a short-lived
 * pre-authenticated address of the picture, fetched without our token. Standard sizes: small (96 px
 * on the longest side), medium (176), large (800).
 *
 * OneDrive also makes thumbnails of documents, videos and folders (a folder's cover); whatever it
 * lists is used, so a folder is not refused here (that would cost a request more per thumbnail).
 */
import { SkyfoldError } from '../../../../common/errors';
import { fitThumbnail, sizeAtLeast, type Thumbnail } from '../thumbnail-image';
import type { OnedriveApi } from './api';
import { itemPath } from './links';

/** Graph's standard sizes, and the longest side each has at most. */
const standardSizes = [
  { name: 'small', side: 96 },
  { name: 'medium', side: 176 },
  { name: 'large', side: 800 },
] as const;

interface GraphThumbnail {
  width?: number;
  height?: number;
  url?: string;
}

/**
 * The thumbnail of item `id`: of the first set's standard sizes, the smallest whose longest side is
 * at least `size` (by its reported width and height; a small picture is never enlarged, so all its
 * sizes may be smaller), scaled down to `size`. Null when OneDrive lists none. Two requests, both
 * paced; safe to repeat. Throws not_found and the usual mapped errors; permanent for a malformed list.
 */
export async function fetchThumbnail(
  api: OnedriveApi,
  id: string,
  size: number,
  what: string,
): Promise<Thumbnail | null> {
  const list = (await api.json(what, { method: 'GET', path: itemPath(id, { segment: '/thumbnails' }) })) as {
    value?: unknown;
  } | null;
  if (!Array.isArray(list?.value))
    throw new SkyfoldError('permanent', `OneDrive sent no thumbnail list for ${what}`);
  const set = list.value[0] as Record<string, GraphThumbnail | undefined> | undefined;
  if (!set) return null;
  const offered = standardSizes.flatMap(({ name, side }) => {
    const thumbnail = set[name];
    if (typeof thumbnail?.url !== 'string') return [];
    const reported = Math.max(thumbnail.width ?? 0, thumbnail.height ?? 0);
    return [{ url: thumbnail.url, side: reported > 0 ? reported : side }];
  });
  if (offered.length === 0) return null;
  const { url } = sizeAtLeast(offered, size);
  const bytes = await api.preauthenticated(
    what,
    url,
    { method: 'GET', redirect: 'follow' },
    async (response) => Buffer.from(await response.arrayBuffer()),
  );
  return fitThumbnail(bytes, size);
}
