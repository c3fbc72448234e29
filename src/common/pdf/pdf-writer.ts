import { drawTextBlock } from './draw-text.js';
import { faceOf } from './font-catalogue.js';
import { FONT, INK, type TextStyle } from './pdf-style.js';
import { layoutText, type TextBlock } from './text-layout.js';
import { tidyText } from './tidy-text.js';

export interface WriterOptions {
  /** The content's left and right edges: where rules start and end unless told otherwise. */
  left: number;
  right: number;
  /** Extra space between wrapped lines. */
  lineGap: number;
}

/**
 * Text, rules and boxes on a pdfkit document, with the house defaults (9 pt, text colour). Text
 * is drawn in the embedded fonts, in any script (text-layout.ts, draw-text.ts); `style` still
 * sets the standard fonts for drawing straight on the document (chart labels, watermark).
 */
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
    const tidy = tidyText(text);
    if (tidy === '') return 0;
    const block = this.layout(tidy, width, style);
    drawTextBlock(this.doc, block, x, y, { width, align: style.align ?? 'left', color: style.color ?? INK.text });
    this.doc.x = x;
    this.doc.y = y + block.height;
    return block.height;
  }

  /** The height `put` would use. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    const tidy = tidyText(text);
    return tidy === '' ? 0 : this.layout(tidy, width, style).height;
  }

  /** The room the text's first line needs above it (Thai marks over the Latin line box; TextBlock.above), 0 for most text. */
  roomAbove(text: string, width: number, style: TextStyle = {}): number {
    const tidy = tidyText(text);
    return tidy === '' ? 0 : this.layout(tidy, width, style).above;
  }

  /**
   * Writes text stacked under other text that ends at y (a name under its caption): lowered by the
   * room its first line needs, so its marks stay clear of the text above; returns the height used,
   * that room included. Blocks side by side pass one `room` (the most either needs) to share a baseline.
   */
  putBelow(text: string, x: number, y: number, width: number, style: TextStyle = {}, room = this.roomAbove(text, width, style)): number {
    const height = this.put(text, x, y + room, width, style);
    return height === 0 ? 0 : room + height;
  }

  private layout(text: string, width: number, style: TextStyle): TextBlock {
    return layoutText(text, { face: faceOf(style.font), size: style.size ?? 9, width, lineGap: this.options.lineGap });
  }

  rule(y: number, color = INK.rule, x1 = this.options.left, x2 = this.options.right, width = 0.6): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  fillRect(x: number, y: number, width: number, height: number, color: string): void {
    this.doc.save().rect(x, y, width, height).fill(color).restore();
  }
}
