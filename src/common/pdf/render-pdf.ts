import PDFDocument from 'pdfkit';
import { A4, FONT } from './pdf-style.js';

/** Where content goes on an A4 page, in points: x from `left` to `right`, y from `top` to `contentBottom`. */
export interface PageArea {
  left: number;
  right: number;
  top: number;
  /** Footers live below this. */
  contentBottom: number;
}

/**
 * Renders an A4 document into a Buffer: `info` is its metadata (dated by the caller, never the
 * clock, so the same input gives the same bytes) and `draw` writes its pages. Pages stay
 * buffered until the end, so footers can say "Page 1 of N"; an error while drawing rejects.
 */
export function renderA4Pdf(area: PageArea, info: () => PDFKit.DocumentInfo, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: area.top, bottom: A4.height - area.contentBottom, left: area.left, right: A4.width - area.right },
      bufferPages: true,
      info: info(),
      font: FONT.regular,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** Visits every page once all are drawn, with its number and the count (for "Page 2 of 5"). */
export function decorateEveryPage(doc: PDFKit.PDFDocument, decorate: (page: number, pages: number) => void): void {
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    doc.page.margins.bottom = 0; // writing below the content area must not add a page
    decorate(index + 1, range.count);
  }
}

export function pageNumber(page: number, pages: number): string {
  return `Page ${page} of ${pages}`;
}
