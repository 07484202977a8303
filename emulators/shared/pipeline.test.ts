import { afterEach, describe, expect, it } from 'vitest';
import { FaultEngine, toFaultRules } from './faults';
import { Router, listen, sendText, type RunningServer } from './http';
import { requestListener } from './pipeline';

let server: RunningServer | undefined;
afterEach(() => server?.close());

async function start() {
  const admin = new Router().on('GET', '/__admin', (ctx) => sendText(ctx.res, 200, 'admin'));
  const routes = new Router()
    .on('GET', '/api/ok', (ctx) => sendText(ctx.res, 200, 'ok'))
    .on('GET', '/api/fail', () => {
      throw new Error('boom');
    });
  const faults = new FaultEngine(
    (path) => path.startsWith('/api/'),
    toFaultRules('error=503 /api/ok times=1; error=500 /__admin*'),
  );
  const listener = requestListener({
    admin,
    routes,
    faults,
    faultHooks: {
      render: (rule, ctx) => sendText(ctx.res, rule.status ?? 503, `fault ${rule.kind}`),
      expireToken: () => undefined,
    },
    unmatched: (ctx, match) =>
      match.kind === 'method-not-allowed'
        ? sendText(ctx.res, 405, 'method', { Allow: match.allow.join(', ') })
        : sendText(ctx.res, 404, 'missing'),
    renderError: (ctx, error) => sendText(ctx.res, 500, `error ${(error as Error).message}`),
  });
  server = await listen(listener);
  return server.url;
}

const answer = async (response: Response) => `${response.status} ${await response.text()}`;

describe('requestListener', () => {
  it('serves admin without faults, then faults, routes, unmatched paths and thrown errors', async () => {
    const url = await start();
    expect(await answer(await fetch(`${url}/__admin`))).toBe('200 admin');
    expect(await answer(await fetch(`${url}/__admin/nope`))).toBe('404 missing');
    expect(await answer(await fetch(`${url}/api/ok`))).toBe('503 fault error');
    expect(await answer(await fetch(`${url}/api/ok`))).toBe('200 ok');
    const post = await fetch(`${url}/api/ok`, { method: 'POST' });
    expect(post.headers.get('allow')).toBe('GET');
    expect(await answer(post)).toBe('405 method');
    expect(await answer(await fetch(`${url}/api/fail`))).toBe('500 error boom');
  });
});
