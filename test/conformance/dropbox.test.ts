/**
 * The provider conformance suite against the Dropbox emulator: once plain, once with faults switched
 * on (429 too_many_requests with Retry-After, 429 too_many_write_operations, 5xx, expiring tokens),
 * which the provider must absorb through its pacer and token refresh.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox/emulator';
import { DropboxProvider } from '../../main/core/providers/dropbox/dropbox-provider';
import { Pacer } from '../../main/core/providers/pacer';
import type { AccessTokenSource } from '../../main/core/providers/types';
import { defineProviderConformance } from './provider-suite';

let emulator: DropboxEmulator;
let scenario = 0;
/** Faults that fired during the faults run, by kind: proof the run was not vacuous. */
const fired = new Map<string, number>();

beforeAll(async () => {
  emulator = await startDropboxEmulator({ seed: 'empty', autoConsent: true });
});
afterAll(async () => {
  await emulator.close();
  expect(fired.get('rate-limit') ?? 0).toBeGreaterThan(5);
  expect(fired.get('user-rate-limit') ?? 0).toBeGreaterThan(5);
  expect(fired.get('error') ?? 0).toBeGreaterThan(5);
  expect(fired.get('expire-token') ?? 0).toBeGreaterThan(2);
});

/** Tokens straight from the emulator's admin; a rejected token is replaced by a fresh one. */
function tokenSource(): AccessTokenSource {
  const user = emulator.users[0]!;
  let token = emulator.admin.issueTokens(user).access_token;
  return {
    getAccessToken: async () => token,
    invalidate: (rejected) => {
      if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
    },
  };
}

async function setup(faults: string | null) {
  emulator.admin.clearFaults();
  const provider = await DropboxProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: tokenSource(),
    pacer: new Pacer({
      maxConcurrency: 4,
      maxRetries: 8,
      baseDelayMs: 1,
      maxDelayMs: 5,
      sleep: async () => undefined,
    }),
    // Small chunks so upload sessions run too (files over 1 MiB).
    uploadChunkSize: 512 * 1024,
    singleUploadLimit: 1024 * 1024,
  });
  const scratch = await provider.mkdir(provider.rootId, `scratch-${++scenario}`, { conflict: 'fail' });
  if (faults) emulator.admin.setFaults(faults);
  return {
    provider,
    scratchId: scratch.id,
    cleanup: async () => {
      for (const rule of emulator.admin.faults())
        fired.set(rule.kind, (fired.get(rule.kind) ?? 0) + rule.fired);
      emulator.admin.clearFaults();
    },
  };
}

defineProviderConformance('dropbox (emulator)', { setup: () => setup(null), largeFolderSize: 2500 });

defineProviderConformance('dropbox (emulator, faults)', {
  setup: () =>
    setup(
      [
        'rate-limit p=0.05 seed=7 retryAfter=1',
        'user-rate-limit p=0.05 seed=8',
        'error=503 p=0.05 seed=9',
        'error=500 p=0.03 seed=10',
        'expire-token p=0.03 seed=11',
      ].join('; '),
    ),
  largeFolderSize: 2500,
});
