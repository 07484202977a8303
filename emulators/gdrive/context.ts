/** What the Drive route modules need from the running emulator (implemented by GdriveService). */
import type { Clock } from '../shared/clock';
import type { RequestContext } from '../shared/http';
import type { BlobStore } from './content';
import type { RenderContext } from './resource';
import type { DriveStore } from './store';
import type { Thumbnails } from './thumbnails';

/**
 * The access a route needs: `metadata` (listing, metadata reads), `content` (downloads, exports),
 * `write` (every mutation). Scopes: drive and drive.file allow all; drive.readonly allows metadata
 * and content; drive.metadata and drive.metadata.readonly allow metadata only.
 */
export type Access = 'metadata' | 'content' | 'write';

export interface DriveLimits {
  /** Files.export answers 403 exportSizeLimitExceeded above this many bytes (Drive: 10 MB). */
  exportSizeLimitBytes: number;
  /** Idle lifetime of a resumable upload session (Drive: one week). */
  uploadSessionLifetimeMs: number;
  /** Largest metadata or multipart-metadata body accepted. */
  metadataBodyLimitBytes: number;
}

export interface DriveApi {
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly thumbnails: Thumbnails;
  readonly limits: DriveLimits;
  /**
   * Authenticates the bearer token (header or `access_token` parameter) and returns the caller's drive.
   * Throws 401 (required / authError), 403 insufficientPermissions, or for writes when the user's
   * write throttle is exhausted, 403 userRateLimitExceeded.
   */
  authorize(ctx: RequestContext, access: Access): DriveStore;
  store(email: string): DriveStore | undefined;
  /** Links in resources point back at the origin the client used. */
  renderContext(ctx: RequestContext, store: DriveStore): RenderContext;
  /** Sends a JSON answer (pretty-printed unless `prettyPrint=false`, as Google does). */
  respond(ctx: RequestContext, status: number, body: unknown): void;
}
