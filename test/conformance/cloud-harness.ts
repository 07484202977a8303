/**
 * The provider conformance suite against a cloud provider on its emulator, the same way for every
 * cloud: once plain, once with faults switched on (rate limits, 5xx, expiring tokens...), which the
 * provider must absorb through its pacer and token refresh. Every scenario runs in a fresh scratch
 * folder of the emulator's first user.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { EmulatorAdmin } from '../../emulators';
import { Pacer } from '../../main/core/providers/pacer';
import type { AccessTokenSource, Provider } from '../../main/core/providers/types';
import { defineProviderConformance } from './provider-suite';

/** What the harness uses of a running emulator. */
export interface CloudEmulator {
  readonly url: string;
  readonly users: readonly string[];
  readonly admin: Pick<EmulatorAdmin, 'issueTokens' | 'setFaults' | 'clearFaults' | 'faults'>;
  close(): Promise<void>;
}

/** How the provider under test reaches the emulator; `connect` may add its own options (chunk sizes...). */
export interface CloudConnection {
  apiBaseUrl: string;
  tokens: AccessTokenSource;
  pacer: Pacer;
  /** Items per part of the first crawl (`changeFeed.listAll`): small, so that it comes in parts. */
  listAllPageSize: number;
}

/** Parts of the first crawl: the listAll scenario's own tree alone is larger than one. */
const listAllPageSize = 10;

export interface CloudConformanceOptions {
  /** Names the suites: `<name> (emulator)` and `<name> (emulator, faults)`. */
  name: string;
  /** Starts the cloud's emulator (`start<Cloud>Emulator`). */
  start: (options: { seed: 'empty'; autoConsent: true }) => Promise<CloudEmulator>;
  connect: (connection: CloudConnection) => Promise<Provider>;
  /**
   * Fault rules of the faults run (emulators/README.md), one per entry. They must fire each kind
   * `firedMoreThan` names often enough, or the run proves nothing.
   */
  faults: readonly string[];
  /**
   * Kinds this cloud's faults run adds to `firedMoreThan`, with their own minimum (e.g. `drop`, for
   * a provider that checks whether a write whose answer was lost took effect).
   */
  alsoFiredMoreThan?: Readonly<Record<string, number>>;
  /** Files of the paging scenario: more than one of the cloud's pages. */
  largeFolderSize: number;
}

/** Each kind of fault must fire more often than this over the faults run: proof it was not vacuous. */
const firedMoreThan: Readonly<Record<string, number>> = {
  'rate-limit': 5,
  'user-rate-limit': 5,
  error: 5,
  'expire-token': 2,
};

/** Defines both conformance runs of one cloud, with the emulator's lifetime around them. */
export function defineCloudConformance(options: CloudConformanceOptions): void {
  let emulator: CloudEmulator;
  let scenario = 0;
  /** Faults that fired during the faults run, by kind. */
  const fired = new Map<string, number>();

  beforeAll(async () => {
    emulator = await options.start({ seed: 'empty', autoConsent: true });
  });
  afterAll(async () => {
    await emulator.close();
    for (const [kind, times] of Object.entries({ ...firedMoreThan, ...options.alsoFiredMoreThan })) {
      expect(fired.get(kind) ?? 0, `"${kind}" faults fired`).toBeGreaterThan(times);
    }
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
    const provider = await options.connect({
      apiBaseUrl: emulator.url,
      tokens: tokenSource(),
      pacer: new Pacer({
        maxConcurrency: 4,
        // About one call in four meets a fault; with 8 retries one of the ~20,000 calls of a run had
        // a few-percent chance of meeting 9 in a row (a CI run failed so). 16 makes that ~1e-10.
        maxRetries: 16,
        baseDelayMs: 1,
        maxDelayMs: 5,
        sleep: async () => undefined,
      }),
      listAllPageSize,
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

  const { name, largeFolderSize } = options;
  defineProviderConformance(`${name} (emulator)`, { setup: () => setup(null), largeFolderSize });
  defineProviderConformance(`${name} (emulator, faults)`, {
    setup: () => setup(options.faults.join('; ')),
    largeFolderSize,
  });
}
