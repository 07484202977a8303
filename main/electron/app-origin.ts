/**
 * The one origin the desktop app's pages come from. The renderer is served by our own privileged
 * `app:` scheme (see protocol.ts), never from `file://` or the network, so "is this our page?" is a
 * simple, exact question everywhere (navigation guards, IPC sender checks, event forwarding).
 */

export const appScheme = 'app';
export const appHost = 'skyfold';
/** How Chromium serializes the origin of our pages (`app` is registered as a standard scheme). */
export const appOrigin = `${appScheme}://${appHost}`;
/** What the main window loads. */
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * True when `url` is a page of ours: scheme `app:`, host exactly `skyfold`, no port, no credentials.
 * Node's URL parser reports origin "null" for non-special schemes, so the parts are compared one by one.
 */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${appScheme}:` &&
    parsed.host === appHost &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
