import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { InvalidGrantError } from './errors';
import { type AuthStateChange, type RefreshFunction, TokenManager } from './token-manager';
import type { TokenStore } from './token-store';
import type { Tokens } from './tokens';
import { rejectionOf } from './test-helpers';
import { withAccessToken } from '../providers/access-token';

/** The identity mapping for errors the tasks below throw (already SkyfoldErrors). */
const asSkyfoldError = (error: unknown) => error as SkyfoldError;

/** A store that records every operation in a shared log and can be made slow or failing. */
class RecordingStore implements TokenStore {
  readonly description = 'recording';
  readonly entries = new Map<string, Tokens>();
  gets = 0;
  failSets = 0;
  setGate: Promise<void> | null = null;
  constructor(private readonly log: string[]) {}

  async get(accountId: string): Promise<Tokens | null> {
    this.gets += 1;
    this.log.push(`store.get`);
    return this.entries.get(accountId) ?? null;
  }

  async set(accountId: string, tokens: Tokens): Promise<void> {
    this.log.push(`store.set:${tokens.accessToken}:${tokens.refreshToken}`);
    if (this.setGate) await this.setGate;
    if (this.failSets > 0) {
      this.failSets -= 1;
      throw new SkyfoldError('permanent', 'disk full');
    }
    this.entries.set(accountId, { ...tokens });
    this.log.push(`store.saved:${tokens.refreshToken}`);
  }

  async delete(accountId: string): Promise<void> {
    this.entries.delete(accountId);
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(
  options: {
    stored?: Tokens | null;
    refresh?: RefreshFunction;
    skewMs?: number;
    refreshTimeoutMs?: number;
  } = {},
) {
  const log: string[] = [];
  const clock = { now: 1_000_000 };
  const store = new RecordingStore(log);
  if (options.stored !== null) {
    store.entries.set(
      'acc',
      options.stored ?? { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: clock.now - 1 },
    );
  }
  const refreshCalls: string[] = [];
  let counter = 0;
  const defaultRefresh: RefreshFunction = async () => {
    counter += 1;
    return { accessToken: `at-${counter}`, refreshToken: `rt-${counter}`, expiresAt: clock.now + 3_600_000 };
  };
  const inner = options.refresh ?? defaultRefresh;
  const changes: AuthStateChange[] = [];
  const manager = new TokenManager({
    accountId: 'acc',
    store,
    refresh: async (refreshToken, context) => {
      refreshCalls.push(refreshToken);
      log.push(`refresh:${refreshToken}`);
      return inner(refreshToken, context);
    },
    onStateChange: (change) => changes.push(change),
    now: () => clock.now,
    ...(options.skewMs === undefined ? {} : { skewMs: options.skewMs }),
    ...(options.refreshTimeoutMs === undefined ? {} : { refreshTimeoutMs: options.refreshTimeoutMs }),
  });
  return { manager, store, log, clock, refreshCalls, changes };
}

const thrown = (promise: Promise<unknown>) => rejectionOf(promise, SkyfoldError);

describe('TokenManager', () => {
  it('hands out a stored token that is still fresh, loading it once and refreshing nothing', async () => {
    const { manager, store, refreshCalls, clock } = setup({
      stored: { accessToken: 'fresh', refreshToken: 'rt', expiresAt: 1_000_000 + 10 * 60_000 },
    });
    expect(await manager.getAccessToken()).toBe('fresh');
    expect(await manager.getAccessToken()).toBe('fresh');
    expect(await manager.getToken()).toEqual({ accessToken: 'fresh', expiresAt: clock.now + 10 * 60_000 });
    expect(store.gets).toBe(1);
    expect(refreshCalls).toEqual([]);
  });

  it('refreshes inside the skew window before expiry, not outside it', async () => {
    const { manager, refreshCalls, clock } = setup({
      stored: { accessToken: 'old', refreshToken: 'rt-0', expiresAt: 1_000_000 + 120_000 },
    });
    expect(await manager.getAccessToken()).toBe('old');
    clock.now += 61_000; // 59 s left: inside the default 60 s skew
    expect(await manager.getAccessToken()).toBe('at-1');
    expect(refreshCalls).toEqual(['rt-0']);
  });

  it('a token without a known expiry is used until a 401', async () => {
    const { manager, refreshCalls } = setup({
      stored: { accessToken: 'forever', refreshToken: 'rt-0', expiresAt: null },
    });
    expect(await manager.getAccessToken()).toBe('forever');
    manager.invalidate('forever');
    expect(await manager.getAccessToken()).toBe('at-1');
    expect(refreshCalls).toHaveLength(1);
  });

  it('20 concurrent callers share ONE refresh', async () => {
    const gate = deferred();
    let calls = 0;
    const { manager, refreshCalls } = setup({
      refresh: async () => {
        calls += 1;
        await gate.promise;
        return { accessToken: 'at-new', refreshToken: null, expiresAt: 1_000_000 + 3_600_000 };
      },
    });
    const callers = Array.from({ length: 20 }, () => manager.getAccessToken());
    await tick();
    gate.resolve();
    expect(await Promise.all(callers)).toEqual(Array(20).fill('at-new'));
    expect(calls).toBe(1);
    expect(refreshCalls).toEqual(['rt-0']);
    // and later callers use the result without refreshing again
    await manager.getAccessToken();
    expect(calls).toBe(1);
  });

  it('persists a rotated refresh token BEFORE handing out the new access token', async () => {
    const { manager, store, log } = setup();
    const gate = deferred();
    store.setGate = gate.promise;
    const received: string[] = [];
    const callers = Array.from({ length: 5 }, () =>
      manager.getAccessToken().then((token) => {
        received.push(token);
        log.push(`handed-out:${token}`);
      }),
    );
    for (let i = 0; i < 5; i++) await tick();
    // The refresh happened and the write started, but nobody got the token while it is not durable.
    expect(log).toContain('store.set:at-1:rt-1');
    expect(received).toEqual([]);
    gate.resolve();
    await Promise.all(callers);
    const saved = log.indexOf('store.saved:rt-1');
    const firstHandout = log.findIndex((entry) => entry.startsWith('handed-out:'));
    expect(saved).toBeGreaterThan(-1);
    expect(saved).toBeLessThan(firstHandout);
    expect(store.entries.get('acc')?.refreshToken).toBe('rt-1');
  });

  it('keeps the refresh token when the provider does not rotate it', async () => {
    const { manager, store } = setup({
      refresh: async () => ({
        accessToken: 'at-g',
        refreshToken: null,
        expiresAt: 2_000_000_000,
        scope: 'drive',
      }),
    });
    expect(await manager.getAccessToken()).toBe('at-g');
    expect(store.entries.get('acc')).toEqual({
      accessToken: 'at-g',
      refreshToken: 'rt-0',
      expiresAt: 2_000_000_000,
      scope: 'drive',
    });
  });

  it('when persisting fails, the call fails, and the next call persists first without refreshing again', async () => {
    const { manager, store, refreshCalls } = setup();
    store.failSets = 1;
    const error = await thrown(manager.getAccessToken());
    expect(error.message).toBe('disk full');
    expect(store.entries.get('acc')?.refreshToken).toBe('rt-0');
    expect(await manager.getAccessToken()).toBe('at-1');
    expect(refreshCalls).toEqual(['rt-0']); // the old refresh token was never used twice
    expect(store.entries.get('acc')?.refreshToken).toBe('rt-1');
  });

  it('after a 401, N callers invalidating the same token cause exactly one refresh', async () => {
    const { manager, refreshCalls } = setup({
      stored: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: 1_000_000 + 3_600_000 },
    });
    const token = await manager.getAccessToken();
    const retried = await Promise.all(
      Array.from({ length: 20 }, async () => {
        manager.invalidate(token);
        return manager.getAccessToken();
      }),
    );
    expect(new Set(retried)).toEqual(new Set(['at-1']));
    expect(refreshCalls).toHaveLength(1);
    // A late report about the old token is ignored.
    manager.invalidate(token);
    expect(await manager.getAccessToken()).toBe('at-1');
    expect(refreshCalls).toHaveLength(1);
  });

  it("with the providers' withAccessToken: one retry after auth_expired, one refresh, no loop", async () => {
    const { manager, refreshCalls } = setup({
      stored: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: 1_000_000 + 3_600_000 },
    });
    const seen: string[] = [];
    const result = await withAccessToken(manager, asSkyfoldError, async (token) => {
      seen.push(token);
      if (token === 'at-0') throw new SkyfoldError('auth_expired', '401');
      return 'listed';
    });
    expect(result).toBe('listed');
    expect(seen).toEqual(['at-0', 'at-1']);

    const always401: string[] = [];
    const error = await thrown(
      withAccessToken(manager, asSkyfoldError, async (token) => {
        always401.push(token);
        throw new SkyfoldError('auth_expired', '401');
      }),
    );
    expect(error.code).toBe('auth_expired');
    expect(always401).toEqual(['at-1', 'at-2']);
    expect(refreshCalls).toHaveLength(2);

    // other errors are not retried
    let runs = 0;
    await expect(
      withAccessToken(manager, asSkyfoldError, async () => {
        runs += 1;
        throw new SkyfoldError('not_found', 'gone');
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(runs).toBe(1);
  });

  it('invalid_grant -> needs_reconnect, reported once, and no refresh ever again until replaceTokens', async () => {
    const { manager, store, refreshCalls, changes } = setup({
      refresh: async () => {
        throw new InvalidGrantError('Token has been expired or revoked.');
      },
    });
    const callers = await Promise.allSettled(Array.from({ length: 5 }, () => manager.getAccessToken()));
    for (const outcome of callers) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'needs_reconnect' });
    }
    expect(refreshCalls).toHaveLength(1);
    expect(manager.state).toBe('needs_reconnect');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ accountId: 'acc', state: 'needs_reconnect' });
    expect(changes[0]?.error?.message).toContain('revoked');

    for (let i = 0; i < 10; i++) {
      expect((await thrown(manager.getAccessToken())).code).toBe('needs_reconnect');
    }
    manager.invalidate('at-0');
    await expect(withAccessToken(manager, asSkyfoldError, async () => 'x')).rejects.toMatchObject({
      code: 'needs_reconnect',
    });
    expect(refreshCalls).toHaveLength(1);
    expect(changes).toHaveLength(1);

    await manager.replaceTokens({ accessToken: 'at-new', refreshToken: 'rt-new', expiresAt: 2_000_000 });
    expect(manager.state).toBe('ok');
    expect(changes[1]).toEqual({ accountId: 'acc', state: 'ok', error: null });
    expect(store.entries.get('acc')?.refreshToken).toBe('rt-new');
    expect(await manager.getAccessToken()).toBe('at-new');
    expect(refreshCalls).toHaveLength(1);
  });

  it('recognises invalid_grant from other OAuth libraries (gaxios errors)', async () => {
    const { manager } = setup({
      refresh: async () => {
        throw Object.assign(new Error('invalid_grant'), {
          response: { status: 400, data: { error: 'invalid_grant' } },
        });
      },
    });
    expect((await thrown(manager.getAccessToken())).code).toBe('needs_reconnect');
  });

  it('network errors during refresh are transient and change no state; the next call tries again', async () => {
    let fail = true;
    const { manager, refreshCalls, changes } = setup({
      refresh: async () => {
        if (fail) throw new TypeError('fetch failed');
        return { accessToken: 'at-ok', refreshToken: null, expiresAt: 2_000_000_000 };
      },
    });
    const error = await thrown(manager.getAccessToken());
    expect(error.code).toBe('transient');
    expect(error.message).toContain('fetch failed');
    expect(manager.state).toBe('ok');
    expect(changes).toEqual([]);
    fail = false;
    expect(await manager.getAccessToken()).toBe('at-ok');
    expect(refreshCalls).toHaveLength(2);
  });

  it('passes SkyfoldErrors such as rate_limited through unchanged', async () => {
    const { manager } = setup({
      refresh: async () => {
        throw new SkyfoldError('rate_limited', 'slow down', { retryAfterMs: 5000 });
      },
    });
    const error = await thrown(manager.getAccessToken());
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(5000);
  });

  it('uses the current token when a refresh inside the skew window fails transiently', async () => {
    const { manager, refreshCalls } = setup({
      stored: { accessToken: 'still-good', refreshToken: 'rt-0', expiresAt: 1_000_000 + 30_000 },
      refresh: async () => {
        throw new SkyfoldError('transient', 'token endpoint down');
      },
    });
    expect(await manager.getAccessToken()).toBe('still-good');
    expect(refreshCalls).toHaveLength(1);
    // ... but not a token the provider already rejected
    manager.invalidate('still-good');
    expect((await thrown(manager.getAccessToken())).code).toBe('transient');
  });

  it('times out a hanging refresh as transient and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const { manager } = setup({
      refreshTimeoutMs: 10,
      refresh: (_token, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    });
    const error = await thrown(manager.getAccessToken());
    expect(error.code).toBe('transient');
    expect(signal?.aborted).toBe(true);
  });

  it('needs a reconnect when nothing is stored, or when the token expired without a refresh token', async () => {
    const empty = setup({ stored: null });
    expect((await thrown(empty.manager.getAccessToken())).code).toBe('needs_reconnect');
    expect(empty.changes).toHaveLength(1);

    const noRefresh = setup({ stored: { accessToken: 'at', refreshToken: null, expiresAt: 0 } });
    expect((await thrown(noRefresh.manager.getAccessToken())).code).toBe('needs_reconnect');
    expect(noRefresh.refreshCalls).toEqual([]);
  });

  it('replaceTokens during a refresh in flight wins over the refresh result', async () => {
    const gate = deferred();
    const { manager, store } = setup({
      refresh: async () => {
        await gate.promise;
        return { accessToken: 'at-stale', refreshToken: 'rt-stale', expiresAt: 2_000_000_000 };
      },
    });
    const pending = manager.getAccessToken();
    await tick();
    await manager.replaceTokens({
      accessToken: 'at-reconnected',
      refreshToken: 'rt-reconnected',
      expiresAt: 2_000_000_000,
    });
    gate.resolve();
    expect(await pending).toBe('at-reconnected');
    expect(await manager.getAccessToken()).toBe('at-reconnected');
    expect(store.entries.get('acc')?.refreshToken).toBe('rt-reconnected');
  });

  it('a throwing state listener does not break token handling', async () => {
    const store = new RecordingStore([]);
    const manager = new TokenManager({
      accountId: 'acc',
      store,
      refresh: async () => {
        throw new InvalidGrantError('revoked');
      },
      onStateChange: () => {
        throw new Error('listener bug');
      },
    });
    store.entries.set('acc', { accessToken: 'a', refreshToken: 'r', expiresAt: 0 });
    expect((await thrown(manager.getAccessToken())).code).toBe('needs_reconnect');
  });
});
