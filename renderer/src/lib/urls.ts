/** URL checks (pure). */

/**
 * Whether `url` is an absolute http(s) URL, safe for an `<a href>`: a `sign-in` event's URL comes
 * from the engine, and a `javascript:` or `data:` URL there would run in the UI when clicked.
 */
export function isHttpUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 8192) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '';
}
