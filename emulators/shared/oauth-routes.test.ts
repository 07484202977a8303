import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RequestContext } from './http';
import { basicCredentials, oauthParams } from './oauth-routes';

function request(url: string, headers: IncomingHttpHeaders, body = ''): RequestContext {
  return {
    req: { headers } as RequestContext['req'],
    res: undefined as unknown as RequestContext['res'],
    url: new URL(url, 'http://127.0.0.1'),
    method: 'POST',
    params: {},
    body: Readable.from([Buffer.from(body)]),
  };
}

describe('oauthParams', () => {
  it('merges the query string with a form body or the string members of a JSON body', async () => {
    const form = request(
      '/token?grant_type=x&code=q',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'code=f&a=1',
    );
    expect(Object.fromEntries(await oauthParams(form))).toEqual({ grant_type: 'x', code: 'f', a: '1' });
    const json = request(
      '/token?code=q',
      { 'content-type': 'application/json; charset=utf-8' },
      '{"code":"j","n":1}',
    );
    expect(Object.fromEntries(await oauthParams(json))).toEqual({ code: 'j' });
    const broken = request('/token?code=q', { 'content-type': 'application/json' }, '{"code":');
    expect(Object.fromEntries(await oauthParams(broken))).toEqual({ code: 'q' });
    expect(Object.fromEntries(await oauthParams(request('/token?code=q', {})))).toEqual({ code: 'q' });
  });
});

describe('basicCredentials', () => {
  const basic = (text: string) =>
    request('/token', { authorization: `Basic ${Buffer.from(text).toString('base64')}` });

  it('splits id and secret at the first colon, percent-decoding them only when asked', () => {
    expect(basicCredentials(basic('my%20app:s:e%3A'), { percentEncoded: true })).toEqual({
      id: 'my app',
      secret: 's:e:',
    });
    expect(basicCredentials(basic('my%20app:s:e%3A'), { percentEncoded: false })).toEqual({
      id: 'my%20app',
      secret: 's:e%3A',
    });
    expect(basicCredentials(basic('no-colon'), { percentEncoded: false })).toBeUndefined();
    expect(
      basicCredentials(request('/token', { authorization: 'Bearer x' }), { percentEncoded: false }),
    ).toBeUndefined();
  });
});
