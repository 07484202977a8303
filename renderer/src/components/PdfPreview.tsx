/**
 * A PDF in the preview panel: its bytes fetched from the host's preview address, its pages drawn
 * by PDF.js onto canvases as they scroll near (at most `maxPages`), and a "Page X of N" counter
 * that follows the page most in view. Mount it with a key of the item and its version: a changed
 * file is a new mount.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { openPdf, pageAspect, renderPage, type PdfDocument } from '../lib/pdf';
import { fetchPreview, mostVisiblePage } from '../lib/preview';

/** Pages drawn at most: the preview is a glance, not a reader. */
const maxPages = 30;

type PdfState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; document: PdfDocument; aspect: number };

/** Loads the PDF at `url` once (a new attempt is a new mount) and closes it on unmount. */
function usePdf(url: string): PdfState {
  const [state, setState] = useState<PdfState>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    let closeDocument = () => {};
    let active = true;
    void (async () => {
      try {
        const response = await fetchPreview(url, abort.signal);
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (!active) return;
        const loading = openPdf(bytes);
        closeDocument = loading.cancel;
        const document = await loading.promise;
        const aspect = await pageAspect(document, 1);
        if (active) setState({ status: 'ready', document, aspect });
      } catch (error) {
        if (active) setState({ status: 'error', message: (error as Error).message });
      }
    })();
    return () => {
      active = false;
      abort.abort();
      closeDocument();
    };
  }, [url]);
  return state;
}

/** The PDF at `url` (the host's preview address); "Try again" after a failure loads it afresh. */
export function PdfPreview({ url, name }: { url: string; name: string }) {
  const [attempt, setAttempt] = useState(0);
  return <PdfView key={attempt} url={url} name={name} onRetry={() => setAttempt((n) => n + 1)} />;
}

function PdfView({ url, name, onRetry }: { url: string; name: string; onRetry: () => void }) {
  const state = usePdf(url);
  const [current, setCurrent] = useState(1);
  const ratios = useRef(new Map<number, number>());
  const onVisibility = useCallback((pageNumber: number, ratio: number) => {
    ratios.current.set(pageNumber, ratio);
    setCurrent((previous) => mostVisiblePage(ratios.current, previous));
  }, []);

  if (state.status === 'loading') {
    return (
      <div className="state" role="status" data-testid="preview-loading">
        <span className="spinner" aria-hidden="true" />
        <p className="state-title">Loading the PDF…</p>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="state state-error" role="alert" data-testid="preview-error">
        <p className="state-title">No preview</p>
        <p className="state-text">{state.message}</p>
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  const { document, aspect } = state;
  const total = document.numPages;
  const shown = Math.min(total, maxPages);
  return (
    <div className="preview-pdf">
      <p className="preview-pdf-counter" data-testid="pdf-page-counter">
        Page {Math.min(current, total)} of {total}
      </p>
      <div className="preview-pdf-pages">
        {Array.from({ length: shown }, (_, index) => (
          <PdfPage
            key={index}
            document={document}
            pageNumber={index + 1}
            aspect={aspect}
            label={`${name}, page ${index + 1} of ${total}`}
            onVisibility={onVisibility}
          />
        ))}
      </div>
      {shown < total ? (
        <p className="preview-note">
          Showing the first {shown} of {total} pages.
        </p>
      ) : null}
    </div>
  );
}

/**
 * One page: a placeholder of the first page's shape until it scrolls near, then the drawn page.
 * Tells `onVisibility` the share of it in view as it changes (in quarters).
 */
function PdfPage({
  document,
  pageNumber,
  aspect,
  label,
  onVisibility,
}: {
  document: PdfDocument;
  pageNumber: number;
  aspect: number;
  label: string;
  onVisibility: (pageNumber: number, ratio: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [near, setNear] = useState(false);
  const [drawn, setDrawn] = useState<'no' | 'yes' | 'failed'>('no');

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const nearby = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: '400px 0px' },
    );
    const visible = new IntersectionObserver(
      (entries) => {
        const last = entries.at(-1);
        if (last) onVisibility(pageNumber, last.isIntersecting ? last.intersectionRatio : 0);
      },
      { threshold: [0, 0.25, 0.5, 0.75, 1] },
    );
    nearby.observe(element);
    visible.observe(element);
    return () => {
      nearby.disconnect();
      visible.disconnect();
    };
  }, [pageNumber, onVisibility]);

  useEffect(() => {
    const element = canvas.current;
    if (!near || !element) return;
    const drawing = renderPage(document, pageNumber, element, element.clientWidth);
    drawing.promise.then(
      () => setDrawn('yes'),
      () => setDrawn('failed'),
    );
    return drawing.cancel;
  }, [near, document, pageNumber]);

  return (
    // Until drawn, the page takes the first page's shape; then the canvas gives its own.
    <div className="preview-pdf-page" style={drawn === 'yes' ? undefined : { aspectRatio: String(aspect) }}>
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-testid="pdf-page"
        data-page={pageNumber}
        data-drawn={drawn}
      />
      {drawn === 'failed' ? <p className="preview-pdf-failed">This page could not be drawn.</p> : null}
    </div>
  );
}
