/**
 * The URLs OneDrive hands out that need no `Authorization`, all on the emulator's origin (the real
 * hosts in brackets); each is opaque to clients:
 * - download (`@microsoft.graph.downloadUrl`, the 302 of `/content`) [my.microsoftpersonalcontent.com]:
 *   `/personal/{cid}/_layouts/15/download.aspx?UniqueId={guid}&Translate=false&tempauth={token}&ApiVersion=2.0`,
 *   valid one hour ("a short period of time (1 hour)", driveItem docs; option `downloadUrlLifetimeSeconds`),
 *   for one version of the content;
 * - thumbnail content [same host]: `/personal/{cid}/_api/v2.0/drive/items/{id}/thumbnails/0/{size}/content?tempauth={token}`,
 *   stable while the content is ("cache-safe", thumbnail docs), no expiry (?);
 * - upload session (`uploadUrl`) [api.onedrive.com]: `/rup/{cid}/{session}` (upload-sessions.ts);
 * - copy monitor (`Location` of a copy) [api.onedrive.com]: `/monitor/{job}` (copy.ts).
 * `tempauth` tokens are `base64url(JSON).base64url(HMAC-SHA256)` under a secret drawn at start-up: a
 * restarted emulator refuses the old ones.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Default lifetime of a download URL. */
export const DOWNLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

export interface DownloadClaims {
  /** Drive id. */
  d: string;
  /** Item id. */
  i: string;
  /** Content version (cTag). */
  v: number;
  /** Expiry (epoch ms). */
  e: number;
}

export interface ThumbnailClaims {
  d: string;
  i: string;
  v: number;
  /** Size name (`small`, `c300x400_Crop`...). */
  s: string;
}

/** A GUID-shaped stand-in for SharePoint's UniqueId of an item. */
export function uniqueId(itemId: string): string {
  const hex = createHash('sha256').update(itemId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export class Links {
  private readonly secret = randomBytes(32);

  /** `downloadLifetimeMs`: how long a download URL works once handed out. */
  constructor(readonly downloadLifetimeMs = DOWNLOAD_URL_LIFETIME_MS) {}

  private sign(claims: object): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', this.secret).update(body).digest('base64url');
    return `${body}.${mac}`;
  }

  private verify<T>(token: string | null): T | undefined {
    if (!token) return undefined;
    const dot = token.indexOf('.');
    if (dot < 0) return undefined;
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = createHmac('sha256', this.secret).update(body).digest();
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  downloadUrl(origin: string, claims: DownloadClaims): string {
    const query = new URLSearchParams({
      UniqueId: uniqueId(claims.i),
      Translate: 'false',
      tempauth: this.sign(claims),
      ApiVersion: '2.0',
    });
    return `${origin}/personal/${claims.d}/_layouts/15/download.aspx?${query.toString()}`;
  }

  /** The claims of a download URL's query, if its token is ours and names the same UniqueId. */
  readDownload(query: URLSearchParams): DownloadClaims | undefined {
    const claims = this.verify<DownloadClaims>(query.get('tempauth'));
    if (!claims || query.get('UniqueId') !== uniqueId(claims.i)) return undefined;
    return claims;
  }

  thumbnailUrl(origin: string, claims: ThumbnailClaims): string {
    return `${origin}/personal/${claims.d}/_api/v2.0/drive/items/${encodeURIComponent(claims.i)}/thumbnails/0/${claims.s}/content?tempauth=${this.sign(claims)}`;
  }

  readThumbnail(query: URLSearchParams): ThumbnailClaims | undefined {
    return this.verify<ThumbnailClaims>(query.get('tempauth'));
  }
}
