/**
 * The request pipeline of every emulator, one order for all services:
 *   admin (`/__admin` and below: the admin router, never faulted)
 *   | faults (the fired rules may answer, delay, expire the token, reset the connection or break the response)
 *   | routes (the service's router)
 *   | errors (what a handler throws, rendered in the service's format).
 * A path no route serves, or serves with other methods, is answered by the service (`unmatched`), for
 * the admin surface too. When an answer can no longer be sent (headers already out, the connection
 * gone, or the request body cut by a `reset=BYTES` fault), a failing request's connection is destroyed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults, type FaultEngine, type FaultHooks } from './faults';
import type { RequestContext, RouteMatch, Router } from './http';

export type Unmatched = Exclude<RouteMatch, { kind: 'found' }>;

export interface Pipeline {
  /** Serves `/__admin` and the paths below it. */
  admin: Router;
  /** Serves everything else. */
  routes: Router;
  faults: FaultEngine;
  /** The service's answers to rendered faults, token expiry and sleep. */
  faultHooks: FaultHooks;
  /** Answers 404 (`not-found`) or 405 (`method-not-allowed`: with `Allow: match.allow`) in the service's format. */
  unmatched(ctx: RequestContext, match: Unmatched): void;
  /** Renders an error a handler threw, in the service's format (only while an answer can still be sent). */
  renderError(ctx: RequestContext, error: unknown): void;
}

/** The node:http request listener running `pipeline`. */
export function requestListener(
  pipeline: Pipeline,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const dispatch = async (router: Router, ctx: RequestContext) => {
    const match = router.match(ctx.method, ctx.url.pathname);
    if (match.kind !== 'found') {
      pipeline.unmatched(ctx, match);
      return;
    }
    ctx.params = match.params;
    await match.handler(ctx);
  };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const ctx: RequestContext = { req, res, url, method: req.method ?? 'GET', params: {}, body: req };
    try {
      if (url.pathname === '/__admin' || url.pathname.startsWith('/__admin/')) {
        await dispatch(pipeline.admin, ctx);
        return;
      }
      const fired = pipeline.faults.evaluate(ctx.method, url.pathname);
      if (fired.length > 0 && (await applyFaults(fired, ctx, pipeline.faultHooks)) === 'handled') return;
      await dispatch(pipeline.routes, ctx);
    } catch (error) {
      if (ctx.res.headersSent || ctx.req.socket.destroyed || ctx.bodyCut) ctx.res.destroy();
      else pipeline.renderError(ctx, error);
    }
  };
}
