/**
 * Where Dropbox lives. The official SDK hard-codes `https://{api,content,notify}.dropboxapi.com` (and
 * `www.dropbox.com` or `dropbox.com` for authorization); its `domain` option cannot reach a plain-http origin. So an
 * alternative origin (the emulator) is reached through the SDK's `fetch` option: `dropboxFetch` sends
 * every request for a Dropbox host to `baseUrl` instead, keeping path, query, method, headers and body.
 */

/** The hosts the SDK and the OAuth flow talk to. */
export const dropboxHosts = [
  'api.dropboxapi.com',
  'content.dropboxapi.com',
  'notify.dropboxapi.com',
  'www.dropbox.com',
  // SDK 10.47 builds its authorize URL on the bare domain.
  'dropbox.com',
] as const;

/**
 * A fetch that serves every Dropbox host from `baseUrl` (an origin, optionally with a path prefix).
 * Requests to other hosts go through unchanged. Throws TypeError (from URL) when `baseUrl` is not a URL.
 */
export function dropboxFetch(baseUrl: string, inner: typeof fetch = fetch): typeof fetch {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    if (!(dropboxHosts as readonly string[]).includes(original.hostname)) return inner(input, init);
    const target = new URL(base.origin);
    target.pathname = prefix + original.pathname;
    target.search = original.search;
    return inner(input instanceof Request ? new Request(target, input) : target, init);
  };
}
