/**
 * What content routes need from the Dropbox service, kept narrow so route modules do not depend on
 * the service class itself.
 */
import type { BlobStore } from './content';
import type { RpcDeps } from './rpc';
import type { UploadSessions } from './upload-sessions';

/** Bytes one request may carry: 150 MiB (upload, and each upload_session call). */
export const REQUEST_PAYLOAD_LIMIT = 150 * 1024 * 1024;

export interface ContentDeps extends RpcDeps {
  blobs: BlobStore;
  sessions: UploadSessions;
  /** Bytes one upload request may carry (default REQUEST_PAYLOAD_LIMIT). */
  payloadLimit: number;
}
