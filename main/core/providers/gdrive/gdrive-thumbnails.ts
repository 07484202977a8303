/**
 * Drive's thumbnails (https://developers.google.com/drive/api/reference/rest/v3/files):
 * `thumbnailLink` is "a short-lived link to the file's thumbnail" (hours), on lh3.googleusercontent.com,
 * whose `=sN` suffix picks the longest side; "if the file isn't shared publicly, the URL ... must be
 * fetched using a credentialed request", so it is fetched with the account's token. Drive has no link
 * when it has no thumbnail (`hasThumbnail` false).
 *
 * Because the token goes along, a link is only followed to Google's thumbnail hosts (https, under
 * googleusercontent.com) or, for an emulator, to the configured API origin: a link pointing
 * elsewhere (a tampered answer) is refused (permanent) rather than handed the token.
 */
import { SkyfoldError } from '../../../../common/errors';
import { readErrorBody } from '../http-errors';
import { driveHttpError } from './errors';

/** The fields `thumbnail` reads: enough to refuse folders and trashed files, and the link. */
export const thumbnailFields = 'id,name,mimeType,trashed,thumbnailLink';

/** Drive's thumbnails are made on request for any longest side: asking for more never helps. */
export function sizedThumbnailLink(link: string, size: number): string {
  return /=s\d+$/.test(link) ? link.replace(/=s\d+$/, `=s${size}`) : `${link}=s${size}`;
}

/** Whether `link` may receive the account's token (see the file comment). */
export function isTrustedThumbnailLink(link: string, apiBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (url.origin === new URL(apiBaseUrl).origin) return true;
  return url.protocol === 'https:' && url.hostname.endsWith('.googleusercontent.com');
}

/**
 * GETs a thumbnail link with `auth` (the Authorization header). Resolves with the bytes, or null when
 * Drive says there is none there (404: the link went stale with a new revision). Throws mapped errors
 * (401 auth_expired, 429 rate_limited...), permanent for a link that may not receive the token.
 */
export async function fetchThumbnailLink(
  fetchImpl: typeof fetch,
  link: string,
  apiBaseUrl: string,
  auth: Record<string, string>,
  what: string,
): Promise<Buffer | null> {
  if (!isTrustedThumbnailLink(link, apiBaseUrl))
    throw new SkyfoldError('permanent', `Google Drive, ${what}: the thumbnail link points to another host`);
  const response = await fetchImpl(link, { headers: auth });
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    throw driveHttpError(
      response.status,
      await readErrorBody(response),
      response.headers.get('retry-after'),
      `Google Drive, ${what}`,
    );
  }
  return Buffer.from(await response.arrayBuffer());
}
