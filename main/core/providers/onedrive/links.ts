/**
 * Where Graph lives, and the links it hands back.
 *
 * Graph's paging and delta links (`@odata.nextLink`, `@odata.deltaLink`) are ABSOLUTE URLs on the
 * origin the client used (`https://graph.microsoft.com/v1.0/...`, or an emulator's
 * `http://127.0.0.1:PORT/v1.0/...`). The Graph client's `api()` only recognises absolute URLs that
 * start with `https://` (an `http://` link would be appended to the base URL), so every link is turned
 * into the path below the version that `api()` accepts on any origin: `/me/drive/...?...`. A link to
 * any other origin or version is refused: the provider never sends its token to a host it was not
 * configured for.
 */
import { SkyfoldError } from '../../../../common/errors';

/** The real service. */
export const graphOrigin = 'https://graph.microsoft.com';
export const graphVersion = 'v1.0';

/** The origin requests go to: Graph's, or the configured one (an emulator's, a national cloud's). Throws invalid_argument for a non-URL. */
export function graphBaseOrigin(apiBaseUrl: string | null): string {
  if (apiBaseUrl === null) return graphOrigin;
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    throw new SkyfoldError('invalid_argument', `"${apiBaseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SkyfoldError('invalid_argument', `"${apiBaseUrl}" is not an http(s) URL`);
  }
  return url.origin;
}

/**
 * The path (below `/v1.0`, with its query) of a Graph link on `origin`, for `client.api()`. Throws
 * permanent for a link elsewhere (another origin, another version, not a URL).
 */
export function relativeLink(link: string, origin: string, what = 'a link'): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new SkyfoldError('permanent', `OneDrive sent ${what} that is not a URL`);
  }
  const prefix = `/${graphVersion}/`;
  if (url.origin !== origin || !url.pathname.startsWith(prefix)) {
    throw new SkyfoldError('permanent', `OneDrive sent ${what} outside ${origin}/${graphVersion}`);
  }
  return url.pathname.slice(prefix.length - 1) + url.search;
}

/**
 * The path of an item below the drive: `items/{id}` (ids are opaque strings: encoded), optionally
 * followed by a child's name addressed by path (`items/{id}:/{name}:`), optionally followed by a
 * segment (`/children`, `/content`...).
 */
export function itemPath(id: string, options: { child?: string; segment?: string } = {}): string {
  const base = `/me/drive/items/${encodeURIComponent(id)}`;
  const child = options.child === undefined ? '' : `:/${encodeURIComponent(options.child)}:`;
  return `${base}${child}${options.segment ?? ''}`;
}
