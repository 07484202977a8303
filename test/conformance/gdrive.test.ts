/**
 * The provider conformance suite against the Google Drive emulator: once plain, once with faults
 * switched on (rate limits with Retry-After, 5xx, resets before the server acts, expiring tokens),
 * which the provider must absorb through its pacer and token refresh.
 */
import { startGdriveEmulator } from '../../emulators';
import { GdriveProvider } from '../../main/core/providers/gdrive/gdrive-provider';
import { defineCloudConformance } from './cloud-harness';

defineCloudConformance({
  name: 'gdrive',
  start: startGdriveEmulator,
  connect: (connection) =>
    GdriveProvider.connect({
      ...connection,
      // Small chunks so the resumable path runs too (files over 1 MiB).
      chunkSize: 512 * 1024,
      multipartLimit: 1024 * 1024,
    }),
  faults: [
    'rate-limit p=0.05 seed=7 retryAfter=1',
    'user-rate-limit p=0.05 seed=8',
    'error=503 p=0.05 seed=9',
    'error=500 GET * p=0.05 seed=10',
    'expire-token p=0.03 seed=11',
  ],
  largeFolderSize: 1200,
});
