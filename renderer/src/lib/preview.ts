/**
 * What the preview and properties panel decides without the DOM (pure, but for `fetchPreview`):
 * which preview an item gets, how its hashes are labelled and ordered, what a failed preview
 * request tells the person, and which provider addresses the page may open itself.
 */
import type { ItemDto, ProviderKind } from '../../../common/dto';
import { extensionOf } from './icons';

/** The panel's two tabs. */
export type PanelTab = 'preview' | 'properties';

/**
 * How a file is previewed: `image` (an <img> of the bytes), `text` (the start of the file as
 * UTF-8 in a <pre>), `pdf` (pages drawn by PDF.js), `none` (folders and everything else).
 */
export type PreviewKind = 'image' | 'text' | 'pdf' | 'none';

// The same rule as the hosts' (main/core/media/preview-policy.ts, which the renderer cannot
// import): what they serve gets a preview here, the rest is refused (415) there and has none here.
// SVG and HTML are left out on purpose: they are documents that can carry script.
const extensionKinds = new Map<string, PreviewKind>();
function register(kind: PreviewKind, extensions: string): void {
  for (const extension of extensions.split(' ')) extensionKinds.set(extension, kind);
}
register('image', 'png jpg jpeg jpe gif webp avif bmp');
register('pdf', 'pdf');
register(
  'text',
  'txt text md markdown csv tsv log json jsonl yaml yml toml ini cfg conf env properties ' +
    'js mjs cjs ts tsx jsx py rb go rs java kt c h cc cpp hpp cs swift php sh bash zsh ps1 bat sql ' +
    'css scss less tex srt vtt diff patch',
);

const imageMimes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);
const textMimes = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/**
 * The preview an item gets: by its name's extension first, then by its MIME type. Folders,
 * Google-native documents (no bytes to read) and every type the hosts do not serve (SVG, HTML,
 * office files, video...) get `none`.
 */
export function previewKind(item: Pick<ItemDto, 'kind' | 'name' | 'mimeType'>): PreviewKind {
  if (item.kind === 'folder') return 'none';
  const mime = item.mimeType?.toLowerCase().split(';')[0]?.trim() ?? '';
  if (mime.startsWith('application/vnd.google-apps.')) return 'none';
  const byExtension = extensionKinds.get(extensionOf(item.name));
  if (byExtension) return byExtension;
  if (imageMimes.has(mime)) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  if (textMimes.has(mime)) return 'text';
  return 'none';
}

const hashLabels: ReadonlyArray<readonly [type: string, label: string]> = [
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['sha256', 'SHA-256'],
  ['dropbox', 'Dropbox content hash'],
  ['quickxor', 'QuickXorHash'],
];

export interface HashRow {
  type: string;
  label: string;
  value: string;
}

/**
 * The known hashes as rows in a stable order: MD5, SHA-1, SHA-256, Dropbox content hash,
 * QuickXorHash, then any other type alphabetically (labelled by its upper-cased type). Empty
 * values are left out.
 */
export function hashRows(hashes: Readonly<Record<string, string>>): HashRow[] {
  const known = new Set(hashLabels.map(([type]) => type));
  const rows: HashRow[] = [];
  for (const [type, label] of hashLabels) {
    const value = hashes[type];
    if (value) rows.push({ type, label, value });
  }
  for (const type of Object.keys(hashes).sort()) {
    const value = hashes[type];
    if (!known.has(type) && value) rows.push({ type, label: type.toUpperCase(), value });
  }
  return rows;
}

/** The header the hosts set (`true`) when a text preview stops at their size cap. */
export const truncatedHeader = 'X-Preview-Truncated';

/** Whether a text preview response was cut at the host's cap. */
export function isTruncated(headers: Pick<Headers, 'get'>): boolean {
  return headers.get(truncatedHeader)?.trim().toLowerCase() === 'true';
}

/** The sentence shown when the host answers a preview request with HTTP `status` (not 2xx). */
export function previewErrorMessage(status: number): string {
  switch (status) {
    case 404:
      return 'This file is no longer there. It may have been moved or deleted.';
    case 413:
      return 'This file is too large to preview.';
    case 415:
      return 'There is no preview for this kind of file.';
    case 401:
    case 403:
      return 'Skyfold was not allowed to read this file. Reload the window and try again.';
    case 502:
    case 503:
    case 504:
      return 'The cloud could not be reached. Try again once it is back online.';
    default:
      return `The preview could not be loaded (error ${status}).`;
  }
}

/** A preview request the host refused: `message` is `previewErrorMessage(status)`. */
export class PreviewRequestError extends Error {
  constructor(readonly status: number) {
    super(previewErrorMessage(status));
    this.name = 'PreviewRequestError';
  }
}

/**
 * GETs a preview address (same origin: the web host's session cookie goes along). Resolves with
 * the response when it is 2xx; rejects with a PreviewRequestError otherwise, or with the fetch's
 * own error (network, aborted by `signal`).
 */
export async function fetchPreview(
  url: string,
  signal?: AbortSignal,
  fetcher: typeof fetch = fetch,
): Promise<Response> {
  const response = await fetcher(url, { signal, credentials: 'same-origin' });
  if (!response.ok) {
    // The body is an error text nobody reads: release the connection.
    void response.body?.cancel();
    throw new PreviewRequestError(response.status);
  }
  return response;
}

/** The hosts of each provider's web UI: the only places the page opens by itself. */
export const providerWebHosts: Readonly<Record<ProviderKind, readonly string[]>> = {
  local: [],
  gdrive: ['drive.google.com', 'docs.google.com'],
  dropbox: ['www.dropbox.com'],
  onedrive: ['onedrive.live.com'],
};

/**
 * Whether the page may open `url` for an item of a `provider` account: an https address on that
 * provider's web host, with no user name, password or port. Anything else (another scheme or
 * host, a local folder) is refused, whoever produced it.
 */
export function isProviderWebUrl(url: string, provider: ProviderKind): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    providerWebHosts[provider].includes(parsed.hostname)
  );
}

/**
 * The page a PDF preview's counter names: the one with the largest share in view (the first of
 * equals), or `fallback` while none is in view.
 */
export function mostVisiblePage(ratios: ReadonlyMap<number, number>, fallback: number): number {
  let best = fallback;
  let bestRatio = 0;
  for (const [page, ratio] of ratios) {
    if (ratio > bestRatio || (ratio === bestRatio && ratio > 0 && page < best)) {
      best = page;
      bestRatio = ratio;
    }
  }
  return best;
}

/** The tab a key moves to in the tab list (arrows wrap, Home and End), or null for other keys. */
export function tabForKey(current: PanelTab, key: string): PanelTab | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowRight':
      return current === 'preview' ? 'properties' : 'preview';
    case 'Home':
      return 'preview';
    case 'End':
      return 'properties';
    default:
      return null;
  }
}
