import { describe, expect, it } from 'vitest';
import { dropboxFetch } from './hosts';

function recorder() {
  const seen: { url: string; init: RequestInit | undefined }[] = [];
  const inner = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    seen.push({ url: input instanceof Request ? input.url : String(input), init });
    return new Response('ok');
  }) as typeof fetch;
  return { seen, inner };
}

describe('dropboxFetch', () => {
  it('sends every Dropbox host to the base origin, keeping path, query and init', async () => {
    const { seen, inner } = recorder();
    const doFetch = dropboxFetch('http://127.0.0.1:4000', inner);
    const init = { method: 'POST', headers: { 'Dropbox-API-Arg': '{}' } };
    await doFetch('https://content.dropboxapi.com/2/files/download?arg=%7B%7D', init);
    await doFetch('https://api.dropboxapi.com/oauth2/token?grant_type=refresh_token', init);
    await doFetch('https://notify.dropboxapi.com/2/files/list_folder/longpoll');
    await doFetch(new URL('https://www.dropbox.com/oauth2/authorize?client_id=x'));
    await doFetch('https://dropbox.com/oauth2/authorize?client_id=y');
    expect(seen.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4000/2/files/download?arg=%7B%7D',
      'http://127.0.0.1:4000/oauth2/token?grant_type=refresh_token',
      'http://127.0.0.1:4000/2/files/list_folder/longpoll',
      'http://127.0.0.1:4000/oauth2/authorize?client_id=x',
      'http://127.0.0.1:4000/oauth2/authorize?client_id=y',
    ]);
    expect(seen[0]!.init).toBe(init);
  });

  it('keeps a path prefix of the base URL and leaves other hosts alone', async () => {
    const { seen, inner } = recorder();
    const doFetch = dropboxFetch('http://127.0.0.1:4000/dropbox/', inner);
    await doFetch('https://api.dropboxapi.com/2/users/get_current_account');
    await doFetch('https://example.com/2/users/get_current_account');
    expect(seen.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4000/dropbox/2/users/get_current_account',
      'https://example.com/2/users/get_current_account',
    ]);
  });

  it('rewrites Request objects too', async () => {
    const { seen, inner } = recorder();
    const doFetch = dropboxFetch('http://127.0.0.1:4000', inner);
    await doFetch(new Request('https://api.dropboxapi.com/2/files/list_folder', { method: 'POST' }));
    expect(seen[0]!.url).toBe('http://127.0.0.1:4000/2/files/list_folder');
  });
});
