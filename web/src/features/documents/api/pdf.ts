import { useMutation } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { Locale } from '../../../lib/api/types';
import { saveFile } from '../../../lib/save-file';

export type PdfDocument = { kind: 'quote' | 'invoice'; id: string; number: string | null };

/** The name the server gives the file (`Content-Disposition`), else one of the document's number. */
function fileNameOf(response: Response, document: PdfDocument): string {
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return named ?? `${document.number ?? `${document.kind}-${document.id}`}.pdf`;
}

/** A document's PDF in `locale`, read with the access token as bytes (a plain link could not send it). */
async function fetchPdf(document: PdfDocument, locale: Locale): Promise<{ blob: Blob; fileName: string }> {
  const params = { params: { path: { id: document.id }, query: { locale } }, parseAs: 'blob' as const };
  const result = document.kind === 'quote' ? await api.GET('/api/v1/quotes/{id}/pdf', params) : await api.GET('/api/v1/invoices/{id}/pdf', params);
  const blob = unwrap(result) as Blob;
  // The bytes are a PDF whatever type the answer named, so the browser's viewer opens them.
  return { blob: new Blob([blob], { type: 'application/pdf' }), fileName: fileNameOf(result.response, document) };
}

/** Downloads a document's PDF under its number. */
export function useDownloadPdf() {
  return useMutation({
    mutationFn: async ({ document, locale }: { document: PdfDocument; locale: Locale }) => {
      const { blob, fileName } = await fetchPdf(document, locale);
      saveFile(blob, fileName);
    },
  });
}

/**
 * Shows a document's PDF in a new tab. The page's Content-Security-Policy lets no frame or object
 * show a `blob:` address, so the preview is the browser's own viewer: the tab is opened at once,
 * while the click still counts as the user's (a tab opened after the download would be blocked),
 * and sent to the PDF once it is read; a failure closes it again.
 */
export function usePreviewPdf() {
  return useMutation({
    mutationFn: async ({ document, locale, tab }: { document: PdfDocument; locale: Locale; tab: Window | null }) => {
      try {
        const { blob } = await fetchPdf(document, locale);
        const href = URL.createObjectURL(blob);
        if (tab && !tab.closed) tab.location.href = href;
        else window.open(href, '_blank');
        // The tab has the file once it has navigated; a minute is ample.
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
      } catch (error) {
        tab?.close();
        throw error;
      }
    },
  });
}
