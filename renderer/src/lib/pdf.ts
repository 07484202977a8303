/**
 * PDF.js behind two calls: open a document from its bytes, draw one page onto a canvas. PDF.js
 * itself is loaded on first use (its own chunk), and its worker from the app's own origin (the
 * CSP's `'self'`). Documents are opened with WebAssembly and XFA off: the CSP has no
 * `'wasm-unsafe-eval'`, and the preview draws pages only (no forms, no scripts, no links).
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

export type PdfDocument = PDFDocumentProxy;

/** Something that is loading or drawing and can be stopped (unmount, another file). */
export interface Cancellable<T> {
  promise: Promise<T>;
  cancel(): void;
}

/**
 * Opens a PDF from its bytes (PDF.js takes ownership of `data`: pass a copy if it is kept).
 * Rejects with an Error whose message is a sentence for the person (not a PDF, password needed).
 * `cancel` stops the loading, or closes the document once it is open (the one way to release it).
 */
export function openPdf(data: Uint8Array): Cancellable<PdfDocument> {
  let cancelled = false;
  let destroy = () => {};
  const promise = import('pdfjs-dist').then(async (pdfjs) => {
    if (cancelled) throw new Error('cancelled');
    pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
    const task = pdfjs.getDocument({ data, useWasm: false, enableXfa: false });
    destroy = () => void task.destroy();
    try {
      return await task.promise;
    } catch (error) {
      if (error instanceof pdfjs.PasswordException) {
        throw new Error('This PDF is protected by a password.', { cause: error });
      }
      if (error instanceof pdfjs.InvalidPDFException) {
        throw new Error('This file is not a readable PDF.', { cause: error });
      }
      throw error;
    }
  });
  return {
    promise,
    cancel: () => {
      cancelled = true;
      destroy();
    },
  };
}

/** A page's width over its height, at its natural size. */
export async function pageAspect(document: PdfDocument, pageNumber: number): Promise<number> {
  const viewport = (await document.getPage(pageNumber)).getViewport({ scale: 1 });
  return viewport.width / viewport.height;
}

/**
 * Draws page `pageNumber` (1-based) onto `canvas`, `cssWidth` CSS pixels wide at the screen's
 * pixel density; sets the canvas's pixel size. `cancel` stops a draw under way.
 */
export function renderPage(
  document: PdfDocument,
  pageNumber: number,
  canvas: HTMLCanvasElement,
  cssWidth: number,
): Cancellable<void> {
  let cancelled = false;
  let cancelTask = () => {};
  const promise = document.getPage(pageNumber).then(async (page) => {
    if (cancelled) return;
    const natural = page.getViewport({ scale: 1 });
    const density = Math.min(window.devicePixelRatio || 1, 3);
    const viewport = page.getViewport({ scale: (cssWidth / natural.width) * density });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const task = page.render({ canvas, viewport });
    cancelTask = () => task.cancel();
    try {
      await task.promise;
    } catch (error) {
      if (!cancelled) throw error;
    }
  });
  return {
    promise,
    cancel: () => {
      cancelled = true;
      cancelTask();
    },
  };
}
