import { FONT, INK, type TextStyle } from './pdf-style.js';

export interface WriterOptions {
  /** The content's left and right edges: where rules start and end unless told otherwise. */
  left: number;
  right: number;
  /** Extra space between wrapped lines. */
  lineGap: number;
  /** Makes text drawable by the standard fonts (see win-ansi.ts); the document decides how. */
  safe: (text: string) => string;
}

/** Text, rules and boxes on a pdfkit document, with the house defaults (9 pt Helvetica, text colour). */
export class PdfWriter {
  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly options: WriterOptions,
  ) {}

  style(style: TextStyle): PDFKit.PDFDocument {
    return this.doc.font(style.font ?? FONT.regular).fontSize(style.size ?? 9).fillColor(style.color ?? INK.text);
  }

  /** Writes wrapped text in a box of the given width at (x, y); returns the height used. */
  put(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    const safe = this.options.safe(text);
    if (safe === '') return 0;
    this.style(style).text(safe, x, y, { width, align: style.align ?? 'left', lineGap: this.options.lineGap });
    return this.doc.y - y;
  }

  /** The height `put` would use. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    const safe = this.options.safe(text);
    return safe === '' ? 0 : this.style(style).heightOfString(safe, { width, lineGap: this.options.lineGap });
  }

  rule(y: number, color = INK.rule, x1 = this.options.left, x2 = this.options.right, width = 0.6): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  fillRect(x: number, y: number, width: number, height: number, color: string): void {
    this.doc.save().rect(x, y, width, height).fill(color).restore();
  }
}
