/**
 * The provider conformance suite against the OneDrive (Microsoft Graph) emulator: once plain, once
 * with faults switched on (429 activityLimitReached with Retry-After, 503 serviceNotAvailable, 500
 * generalException, expiring tokens), which the provider must absorb through its pacer and token
 * refresh, and answers lost after OneDrive acted (`drop`) on every kind of write (simple uploads,
 * folder creation, rename/move, copy, delete, upload-session fragments), which it must absorb
 * without losing or duplicating anything: a write whose answer was lost is checked before it is
 * repeated. Faults apply to Graph's `/v1.0/*` paths unless a rule names another path: the
 * pre-authenticated upload URLs (`/rup/*`) are named explicitly.
 */
import { startOnedriveEmulator } from '../../emulators/onedrive/emulator';
import { OnedriveProvider } from '../../main/core/providers/onedrive/onedrive-provider';
import { defineCloudConformance } from './cloud-harness';

defineCloudConformance({
  name: 'onedrive',
  start: startOnedriveEmulator,
  connect: (connection) =>
    OnedriveProvider.connect({
      ...connection,
      // Small fragments so upload sessions run too (files over 640 KiB, in 320 KiB fragments).
      uploadFragmentSize: 320 * 1024,
      simpleUploadLimit: 640 * 1024,
      copyPollDelayMs: { first: 1, max: 20 },
    }),
  faults: [
    'rate-limit p=0.05 seed=7 retryAfter=1',
    'user-rate-limit p=0.05 seed=8',
    'error=503 p=0.05 seed=9',
    'error=500 p=0.03 seed=10',
    'expire-token p=0.03 seed=11',
    // Writes whose answer is lost: at random among the many simple uploads, and scripted (`seq`, per
    // scenario) for the rarer kinds, so that every scenario's first folder creation or copy, move,
    // trash and third upload fragment loses its answer.
    'drop PUT /v1.0/* p=0.04 seed=12',
    'drop POST /v1.0/* seq=x.x',
    'drop PATCH /v1.0/* seq=x',
    'drop DELETE /v1.0/* seq=x',
    'drop PUT /rup/* seq=..x',
    'error=503 /rup/* p=0.2 seed=13',
    'drop GET /monitor/* seq=x',
    'error=500 GET /personal/* p=0.2 seed=14',
  ],
  alsoFiredMoreThan: { drop: 50 },
  largeFolderSize: 1200,
});
