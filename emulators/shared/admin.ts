/**
 * The admin surface every emulator shares, in-process (`EmulatorAdmin`, for tests that start the
 * emulator themselves) and over HTTP under `/__admin` (for the CLI-started emulators, e2e tests and
 * the demo). Admin endpoints need no credentials (loopback only) and never see injected faults.
 *
 *   GET    /__admin                 state: users, clock, faults, write rate
 *   GET    /__admin/faults          active fault rules with their counters
 *   POST   /__admin/faults          replace the rules: {"spec":"..."} | {"rules":[...]} | [...]; ?append=1 adds
 *   DELETE /__admin/faults          remove every rule
 *   POST   /__admin/reset           back to the seed: data, sessions, faults, throttle; {"tokens":true} also tokens
 *   POST   /__admin/expire-tokens   access tokens expire now ({"user":"..."} for one user) -> {"expired":N}
 *   POST   /__admin/revoke-tokens   grants revoked (refresh -> invalid_grant) ({"user":"..."}) -> {"revoked":N}
 *   POST   /__admin/tokens          {"user","scope"?,"clientId"?} -> a token response, no browser needed
 *   GET    /__admin/clock           {"now": ISO time}
 *   POST   /__admin/clock           {"advanceSeconds":N} moves the emulator's clock forward
 *   POST   /__admin/throttle        {"writesPerSecond":N|null,"burst"?:N} per-user write throttling
 *   POST   /__admin/quota           {"user","limit":BYTES|null} a user's storage limit (registerQuotaRoute)
 */
import type { OffsetClock } from './clock';
import {
  FaultSpecError,
  toFaultRules,
  type FaultEngine,
  type FaultRule,
  type FaultRuleState,
} from './faults';
import { BodyTooLargeError, readBody, sendJson, type RequestContext, type Router } from './http';
import type { OAuthServer } from './oauth';
import type { WriteThrottle } from './throttle';

/** Tokens as the token endpoint returns them. */
export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
  id_token?: string;
}

export interface EmulatorAdmin {
  /** Replaces the fault rules (spec string or rules). Throws FaultSpecError on a bad spec. */
  setFaults(spec: string | readonly FaultRule[]): void;
  addFaults(spec: string | readonly FaultRule[]): void;
  clearFaults(): void;
  faults(): FaultRuleState[];
  /** Restores the seed; `tokens: true` also forgets every token and grant. */
  reset(options?: { tokens?: boolean }): Promise<void>;
  expireTokens(user?: string): number;
  revokeTokens(user?: string): number;
  /** Mints tokens for a seeded user (scope defaults to the service's full scope). */
  issueTokens(user: string, options?: { scope?: string; clientId?: string }): TokenSet;
  advanceClock(ms: number): void;
  now(): number;
  /** Per-user write throttling; null switches it off. */
  setWriteRate(perSecond: number | null, burst?: number): void;
}

export interface AdminTarget {
  faults: FaultEngine;
  oauth: OAuthServer;
  clock: OffsetClock;
  throttle: WriteThrottle;
  defaultScope: string;
  /** What a reset restores besides the seed: the fault rules and write rate the service started with. */
  initial: { faults: readonly FaultRule[]; writesPerSecond: number | null };
  users(): readonly string[];
  /** Back to the seed: the accounts' data and upload sessions (the admin then restores faults and throttle). */
  restoreSeed(): Promise<void>;
}

export class AdminError extends Error {}

export function createAdmin(target: AdminTarget): EmulatorAdmin {
  return {
    setFaults: (spec) =>
      target.faults.set(typeof spec === 'string' ? toFaultRules(spec) : toFaultRules([...spec])),
    addFaults: (spec) =>
      target.faults.add(typeof spec === 'string' ? toFaultRules(spec) : toFaultRules([...spec])),
    clearFaults: () => target.faults.clear(),
    faults: () => target.faults.list(),
    async reset(options) {
      await target.restoreSeed();
      target.faults.set(target.initial.faults);
      target.throttle.configure(target.initial.writesPerSecond);
      if (options?.tokens ?? false) target.oauth.reset();
    },
    expireTokens: (user) => target.oauth.expireAccessTokens(user),
    revokeTokens: (user) => target.oauth.revokeGrants(user),
    issueTokens(user, options) {
      const result = target.oauth.issue(user, {
        scope: options?.scope ?? target.defaultScope,
        clientId: options?.clientId,
      });
      if (result.status !== 200) throw new AdminError(String(result.body.error_description));
      return result.body as unknown as TokenSet;
    },
    advanceClock: (ms) => target.clock.advance(ms),
    now: () => target.clock.now(),
    setWriteRate: (perSecond, burst) => target.throttle.configure(perSecond, burst),
  };
}

async function jsonBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const body = await readBody(ctx.body, 1024 * 1024);
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AdminError('the body must be JSON');
  }
}

const optionalUser = (body: Record<string, unknown>) =>
  typeof body.user === 'string' ? body.user : undefined;

/** Wraps an admin handler: JSON in, JSON out, 400 `{"error"}` for bad input. */
export function adminHandler(
  handle: (ctx: RequestContext, body: Record<string, unknown>) => Promise<unknown> | unknown,
) {
  return async (ctx: RequestContext) => {
    try {
      const body = ctx.method === 'GET' || ctx.method === 'DELETE' ? {} : await jsonBody(ctx);
      const result = await handle(ctx, body);
      sendJson(ctx.res, 200, result ?? {});
    } catch (error) {
      if (
        error instanceof AdminError ||
        error instanceof FaultSpecError ||
        error instanceof RangeError ||
        error instanceof BodyTooLargeError
      )
        sendJson(ctx.res, 400, { error: error.message });
      else throw error;
    }
  };
}

/** Registers the shared admin endpoints (listed in this module's comment) on `router`. */
export function registerAdminRoutes(router: Router, target: AdminTarget, admin: EmulatorAdmin): void {
  const describe = () => ({
    users: target.users(),
    now: new Date(target.clock.now()).toISOString(),
    faults: admin.faults(),
    writesPerSecond: target.throttle.writesPerSecond,
  });
  router
    .on('GET', '/__admin', adminHandler(describe))
    .on(
      'GET',
      '/__admin/faults',
      adminHandler(() => ({ rules: admin.faults() })),
    )
    .on(
      'POST',
      '/__admin/faults',
      adminHandler((ctx, body) => {
        const input = Array.isArray(body) ? body : (body.spec ?? body.rules);
        if (input === undefined) throw new AdminError('send {"spec": "..."} or {"rules": [...]}');
        const rules = toFaultRules(input);
        if (ctx.url.searchParams.get('append') === '1') admin.addFaults(rules);
        else admin.setFaults(rules);
        return { rules: admin.faults() };
      }),
    )
    .on(
      'DELETE',
      '/__admin/faults',
      adminHandler(() => {
        admin.clearFaults();
        return { rules: [] };
      }),
    )
    .on(
      'POST',
      '/__admin/reset',
      adminHandler(async (_ctx, body) => {
        await admin.reset({ tokens: body.tokens === true });
        return describe();
      }),
    )
    .on(
      'POST',
      '/__admin/expire-tokens',
      adminHandler((_ctx, body) => ({ expired: admin.expireTokens(optionalUser(body)) })),
    )
    .on(
      'POST',
      '/__admin/revoke-tokens',
      adminHandler((_ctx, body) => ({ revoked: admin.revokeTokens(optionalUser(body)) })),
    )
    .on(
      'POST',
      '/__admin/tokens',
      adminHandler((_ctx, body) => {
        if (typeof body.user !== 'string') throw new AdminError('"user" is required');
        return admin.issueTokens(body.user, {
          scope: typeof body.scope === 'string' ? body.scope : undefined,
          clientId: typeof body.clientId === 'string' ? body.clientId : undefined,
        });
      }),
    )
    .on(
      'GET',
      '/__admin/clock',
      adminHandler(() => ({ now: new Date(admin.now()).toISOString() })),
    )
    .on(
      'POST',
      '/__admin/clock',
      adminHandler((_ctx, body) => {
        const seconds = Number(body.advanceSeconds);
        if (!Number.isFinite(seconds) || seconds < 0)
          throw new AdminError('"advanceSeconds" must be a number >= 0');
        admin.advanceClock(seconds * 1000);
        return { now: new Date(admin.now()).toISOString() };
      }),
    )
    .on(
      'POST',
      '/__admin/throttle',
      adminHandler((_ctx, body) => {
        const rate = body.writesPerSecond;
        if (rate !== null && typeof rate !== 'number')
          throw new AdminError('"writesPerSecond" is a number or null');
        admin.setWriteRate(rate, typeof body.burst === 'number' ? body.burst : undefined);
        return { writesPerSecond: target.throttle.writesPerSecond };
      }),
    );
}

/** A service's admin operation on storage limits. */
export interface QuotaAdmin {
  /** Sets a user's storage limit in bytes (null = unlimited); RangeError for an unknown user. */
  setQuota(user: string, limit: number | null): void;
}

/** Registers `POST /__admin/quota` (`{"user": EMAIL, "limit": BYTES | null}`) on `router`. */
export function registerQuotaRoute(router: Router, admin: QuotaAdmin): void {
  router.on(
    'POST',
    '/__admin/quota',
    adminHandler((_ctx, body) => {
      const limit = body.limit === null ? null : Number(body.limit);
      if (typeof body.user !== 'string' || (limit !== null && !(limit >= 0)))
        throw new RangeError('send {"user": EMAIL, "limit": BYTES | null}');
      admin.setQuota(body.user, limit);
      return { user: body.user, limit };
    }),
  );
}

/** The store of a seeded user, for an admin operation naming one; RangeError (400 over HTTP) if unknown. */
export function seededStore<S>(stores: ReadonlyMap<string, S>, user: string): S {
  const store = stores.get(user);
  if (!store) throw new RangeError(`unknown user ${user}`);
  return store;
}
