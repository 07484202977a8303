/**
 * OnedriveApi over a scripted fetch: the Graph client with our middleware chain (token per request,
 * only to the configured origin, refreshed once on 401), raw answers checked (Graph errors, malformed
 * JSON, bodies cut off), non-idempotent calls never repeated blindly, pre-authenticated URLs without
 * the token.
 */
import type { Context } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { Pacer } from '../pacer';
import { UnconfirmedError } from '../unconfirmed';
import { OnedriveApi } from './api';
import { BearerToken, BearerTokenMiddleware } from './middleware';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const origin = 'http://127.0.0.1:4100';

/** A fetch answering from `script` in order (a function may throw to simulate the network). */
function scripted(script: Array<Response | (() => Response)>) {
  const sent: Sent[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(
      new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]),
    );
    const body =
      init?.body === undefined || init.body === null
        ? undefined
        : Buffer.from(init.body as Uint8Array).toString();
    sent.push({ url: String(input), method: init?.method ?? 'GET', headers, body });
    const next = script.shift();
    if (!next) throw new Error('unexpected request');
    return typeof next === 'function' ? next() : next;
  };
  return { sent, fetchImpl };
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
const graphError = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: code } }, headers);
const networkError = () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } });
};

function tokens() {
  let issued = 0;
  const invalidated: string[] = [];
  let current = 'token-1';
  return {
    invalidated,
    get issued() {
      return issued;
    },
    source: {
      getAccessToken: async () => {
        issued++;
        return current;
      },
      invalidate: (token: string) => {
        invalidated.push(token);
        if (token === current) current = `token-${Number(current.slice(6)) + 1}`;
      },
    },
  };
}

function api(fetchImpl: typeof fetch, retries = 0, tokenSource = tokens().source): OnedriveApi {
  return new OnedriveApi({
    apiBaseUrl: origin,
    tokens: tokenSource,
    fetch: fetchImpl,
    pacer: new Pacer({
      maxConcurrency: 2,
      maxRetries: retries,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
    }),
  });
}

describe('OnedriveApi.json', () => {
  it('sends a Graph request to origin + /v1.0 with the bearer token, and parses the answer', async () => {
    const { sent, fetchImpl } = scripted([json(200, { id: 'x' })]);
    const result = await api(fetchImpl).json('an item', {
      method: 'GET',
      path: '/me/drive/items/A!1?$select=id,name',
    });
    expect(result).toEqual({ id: 'x' });
    expect(sent).toEqual([
      {
        url: `${origin}/v1.0/me/drive/items/A!1?$select=id,name`,
        method: 'GET',
        headers: expect.objectContaining({ authorization: 'Bearer token-1' }),
        body: undefined,
      },
    ]);
  });

  it('sends JSON bodies and octet-stream bytes', async () => {
    const { sent, fetchImpl } = scripted([json(201, { id: 'f' }), json(201, { id: 'g' })]);
    const graph = api(fetchImpl);
    await graph.json('creating', {
      method: 'POST',
      path: '/me/drive/items/A!1/children',
      json: { name: 'n', folder: {} },
    });
    await graph.json('uploading', {
      method: 'PUT',
      path: '/me/drive/items/A!1:/n.bin:/content',
      bytes: Buffer.from('bytes'),
    });
    expect(sent[0]).toMatchObject({ method: 'POST', body: '{"name":"n","folder":{}}' });
    expect(sent[0]!.headers['content-type']).toBe('application/json');
    expect(sent[1]).toMatchObject({ method: 'PUT', body: 'bytes' });
    expect(sent[1]!.headers['content-type']).toBe('application/octet-stream');
  });

  it('refreshes once on 401: exactly the refused token is invalidated', async () => {
    const t = tokens();
    const { sent, fetchImpl } = scripted([
      graphError(401, 'InvalidAuthenticationToken'),
      json(200, { ok: true }),
    ]);
    expect(await api(fetchImpl, 0, t.source).json('x', { method: 'GET', path: '/me' })).toEqual({ ok: true });
    expect(t.invalidated).toEqual(['token-1']);
    expect(sent.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('a second 401 is auth_expired (no refresh loop)', async () => {
    const t = tokens();
    const { sent, fetchImpl } = scripted([
      graphError(401, 'InvalidAuthenticationToken'),
      graphError(401, 'InvalidAuthenticationToken'),
    ]);
    const error = await api(fetchImpl, 0, t.source)
      .json('x', { method: 'GET', path: '/me' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth_expired' });
    expect(sent).toHaveLength(2);
    expect(t.invalidated).toEqual(['token-1']);
  });

  it('maps Graph errors with their Retry-After, and retries them through the pacer', async () => {
    const { sent, fetchImpl } = scripted([
      graphError(429, 'activityLimitReached', { 'Retry-After': '1' }),
      json(200, {}),
    ]);
    await api(fetchImpl, 1).json('x', { method: 'GET', path: '/me' });
    expect(sent).toHaveLength(2);
    const { fetchImpl: failing } = scripted([graphError(404, 'itemNotFound')]);
    await expect(
      api(failing, 3).json('item', { method: 'GET', path: '/me/drive/items/x' }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'OneDrive, item: itemNotFound (itemNotFound)',
    });
  });

  it('refuses malformed JSON with a clear permanent error', async () => {
    const { fetchImpl } = scripted([
      new Response('{"value": [', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ]);
    await expect(api(fetchImpl, 3).json('a listing', { method: 'GET', path: '/me' })).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('malformed JSON for a listing'),
    });
  });

  it('repeats an idempotent call after a network failure', async () => {
    const { sent, fetchImpl } = scripted([networkError, json(200, { id: 'x' })]);
    expect(await api(fetchImpl, 2).json('x', { method: 'GET', path: '/me' })).toEqual({ id: 'x' });
    expect(sent).toHaveLength(2);
  });

  it('never repeats a non-idempotent call whose answer was lost: UnconfirmedError', async () => {
    for (const failure of [
      networkError,
      () => graphError(500, 'generalException'),
      () => graphError(504, 'x'),
    ]) {
      const { sent, fetchImpl } = scripted([failure, json(201, {})]);
      const error = await api(fetchImpl, 5)
        .json(
          'creating',
          { method: 'POST', path: '/me/drive/items/A/children', json: {} },
          { idempotent: false },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnconfirmedError);
      expect((error as SkyfoldError).code).toBe('transient');
      expect((error as SkyfoldError).message).toContain('(OneDrive may have acted on it)');
      expect(sent).toHaveLength(1);
    }
  });

  it('retries a non-idempotent call on answers that say it was not acted on (429, 503, 401)', async () => {
    const { sent, fetchImpl } = scripted([
      graphError(429, 'activityLimitReached'),
      graphError(503, 'serviceNotAvailable'),
      graphError(401, 'InvalidAuthenticationToken'),
      json(201, { id: 'new' }),
    ]);
    const result = await api(fetchImpl, 5).json(
      'creating',
      { method: 'POST', path: '/me/drive/items/A/children', json: {} },
      { idempotent: false },
    );
    expect(result).toEqual({ id: 'new' });
    expect(sent).toHaveLength(4);
  });

  it('treats an answer cut off while read as the attempt failing (unconfirmed for writes)', async () => {
    const cut = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":'));
            controller.error(new TypeError('terminated'));
          },
        }),
        { status: 201, headers: { 'Content-Type': 'application/json' } },
      );
    const { fetchImpl } = scripted([cut]);
    await expect(
      api(fetchImpl, 5).json('creating', { method: 'POST', path: '/x', json: {} }, { idempotent: false }),
    ).rejects.toBeInstanceOf(UnconfirmedError);
    const { sent, fetchImpl: again } = scripted([cut, json(200, { id: 'x' })]);
    expect(await api(again, 5).json('reading', { method: 'GET', path: '/x' })).toEqual({ id: 'x' });
    expect(sent).toHaveLength(2);
  });

  it('hands a redirect over when asked not to follow it', async () => {
    const { sent, fetchImpl } = scripted([
      new Response(null, { status: 302, headers: { Location: 'http://cdn.example/x' } }),
    ]);
    const location = await api(fetchImpl).request(
      'reading',
      { method: 'GET', path: '/me/drive/items/A/content', redirect: 'manual' },
      async (response) => response.headers.get('location'),
    );
    expect(location).toBe('http://cdn.example/x');
    expect(sent).toHaveLength(1);
  });
});

describe('OnedriveApi.preauthenticated', () => {
  it('never sends the token, and maps errors (a refused URL is not auth_expired)', async () => {
    const { sent, fetchImpl } = scripted([
      new Response('bytes', { status: 200 }),
      graphError(401, 'unauthenticated'),
    ]);
    const graph = api(fetchImpl);
    expect(
      await graph.preauthenticated('x', 'http://cdn.example/a', { method: 'GET' }, (r) => r.text()),
    ).toBe('bytes');
    expect(sent[0]!.headers.authorization).toBeUndefined();
    await expect(
      graph.preauthenticated('x', 'http://cdn.example/a', { method: 'GET' }, (r) => r.text()),
    ).rejects.toMatchObject({
      code: 'permanent',
    });
  });

  it('hands accepted statuses over, and keeps writes unconfirmed after a lost answer', async () => {
    const { fetchImpl } = scripted([graphError(416, 'invalidRange'), networkError]);
    const graph = api(fetchImpl, 3);
    expect(
      await graph.preauthenticated('x', 'http://up.example/s', { method: 'PUT' }, async (r) => r.status, {
        accept: (status) => status === 416,
      }),
    ).toBe(416);
    await expect(
      graph.preauthenticated('x', 'http://up.example/s', { method: 'PUT' }, async (r) => r.status, {
        idempotent: false,
      }),
    ).rejects.toBeInstanceOf(UnconfirmedError);
  });
});

describe('OnedriveApi against the real service (apiBaseUrl null)', () => {
  it('sends to https://graph.microsoft.com/v1.0 with the token, and follows its absolute https links', async () => {
    const next = 'https://graph.microsoft.com/v1.0/me/drive/items/A!1/children?$top=2&$skiptoken=czox';
    const { sent, fetchImpl } = scripted([json(200, { '@odata.nextLink': next }), json(200, { value: [] })]);
    const graph = new OnedriveApi({
      apiBaseUrl: null,
      tokens: tokens().source,
      fetch: fetchImpl,
      pacer: new Pacer({ maxConcurrency: 1, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }),
    });
    const first = (await graph.json('x', {
      method: 'GET',
      path: '/me/drive/items/A!1/children?$top=2',
    })) as Record<string, string>;
    await graph.json('x', { method: 'GET', path: graph.relative(first['@odata.nextLink']!) });
    expect(sent.map((request) => [request.url, request.headers.authorization])).toEqual([
      ['https://graph.microsoft.com/v1.0/me/drive/items/A!1/children?$top=2', 'Bearer token-1'],
      [next, 'Bearer token-1'],
    ]);
  });
});

describe('OnedriveApi.relative', () => {
  it('turns links on the configured origin into request paths', () => {
    const graph = api(scripted([]).fetchImpl);
    expect(graph.relative(`${origin}/v1.0/me/drive/root/delta?token=t`)).toBe('/me/drive/root/delta?token=t');
    expect(() => graph.relative('https://graph.microsoft.com/v1.0/me')).toThrow(SkyfoldError);
  });
});

describe('BearerTokenMiddleware', () => {
  it('refuses to send the token anywhere but the configured origin', async () => {
    const middleware = new BearerTokenMiddleware(origin);
    let reached = false;
    middleware.setNext({ execute: async () => void (reached = true) });
    const control = { getMiddlewareOptions: () => new BearerToken('secret') };
    const run = (url: string) =>
      middleware.execute({
        request: url,
        options: { method: 'GET' },
        middlewareControl: control,
      } as unknown as Context);
    await expect(run('https://evil.example/v1.0/me')).rejects.toMatchObject({
      customError: expect.objectContaining({ message: expect.stringContaining('refusing') }),
    });
    expect(reached).toBe(false);
    await run(`${origin}/v1.0/me`);
    expect(reached).toBe(true);
  });
});
