/**
 * The provider conformance suite against the Dropbox emulator: once plain, once with faults switched
 * on (429 too_many_requests with Retry-After, 429 too_many_write_operations, 5xx, expiring tokens),
 * which the provider must absorb through its pacer and token refresh, and answers lost after Dropbox
 * acted (`drop`), which it must absorb without losing or duplicating anything: a write whose answer
 * was lost is checked before it is repeated.
 */
import { startDropboxEmulator } from '../../emulators/dropbox/emulator';
import { DropboxProvider } from '../../main/core/providers/dropbox/dropbox-provider';
import { defineCloudConformance } from './cloud-harness';

defineCloudConformance({
  name: 'dropbox',
  start: startDropboxEmulator,
  connect: (connection) =>
    DropboxProvider.connect({
      ...connection,
      // Small chunks so upload sessions run too (files over 512 KiB).
      uploadChunkSize: 512 * 1024,
    }),
  faults: [
    'rate-limit p=0.05 seed=7 retryAfter=1',
    'user-rate-limit p=0.05 seed=8',
    'error=503 p=0.05 seed=9',
    'error=500 p=0.03 seed=10',
    'expire-token p=0.03 seed=11',
    'drop POST /2/files/* p=0.03 seed=12',
    'drop POST /2/files/upload_session/* p=0.1 seed=13',
  ],
  alsoFiredMoreThan: { drop: 50 },
  largeFolderSize: 2500,
});
