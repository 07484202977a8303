/**
 * The small, self-contained HTML page the loopback listener answers the browser with. No scripts, no
 * external resources, no links (so the code in the address bar cannot leak through a Referer); every
 * piece of text is HTML-escaped because parts of it (a provider's error description) come from the URL.
 */

export type CallbackPageTone = 'success' | 'error';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

/** Renders the page. Pure; never throws. */
export function renderCallbackPage(page: { title: string; message: string; tone: CallbackPageTone }): string {
  const accent = page.tone === 'success' ? '#1a7f37' : '#b42318';
  const title = escapeHtml(page.title);
  const message = escapeHtml(page.message);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Skyfold - ${title}</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; min-height: 100vh;
         display: flex; align-items: center; justify-content: center; background: #f6f7f9; color: #1f2328; }
  main { max-width: 28rem; padding: 2rem; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); border-top: 4px solid ${accent}; }
  h1 { font-size: 1.25rem; margin: 0 0 0.5rem; color: ${accent}; }
  p { margin: 0; }
  @media (prefers-color-scheme: dark) {
    body { background: #0d1117; color: #e6edf3; } main { background: #161b22; }
  }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${message}</p>
</main>
</body>
</html>
`;
}

/** Headers for every answer of the loopback listener. */
export const callbackPageHeaders: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};
