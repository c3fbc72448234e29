/**
 * Draws a laid-out text block with its glyphs exactly where the layout put them: each glyph at its
 * pen position plus its GPOS offset (a Thai tone mark raised above the vowel under it), so what is
 * measured and tested is what is printed. Each line is wrapped in an ActualText span holding the
 * line as written, so copying from the PDF gives back the stored text, whatever shaping did.
 */
import { documentFont } from './pdfkit-fonts.js';
import type { PlacedGlyph, TextBlock, TextLine } from './text-layout.js';

export interface DrawOptions {
  width: number;
  align: 'left' | 'right' | 'center';
  color: string;
}

/** Draws the block with its first line's top at y. */
export function drawTextBlock(doc: PDFKit.PDFDocument, block: TextBlock, x: number, y: number, options: DrawOptions): void {
  doc.fillColor(options.color);
  let top = y;
  for (const line of block.lines) {
    const slack = options.width - line.width;
    const start = x + (options.align === 'right' ? slack : options.align === 'center' ? slack / 2 : 0);
    if (line.glyphs.length > 0) drawLine(doc, line, start, top + line.ascent, block.size);
    top += line.ascent + line.descent + block.lineGap;
  }
}

function drawLine(doc: PDFKit.PDFDocument, line: TextLine, x: number, baseline: number, size: number): void {
  const pageHeight = doc.page.height;
  doc.save();
  doc.transform(1, 0, 0, -1, 0, pageHeight); // text in PDF's upward y, as pdfkit draws it
  doc.markContent('Span', { actual: line.text });
  doc.addContent('BT');
  for (const group of sameFontAndHeight(line.glyphs)) {
    const font = documentFont(doc, group[0]?.font ?? 'sarabun-regular');
    font.useOnPage();
    const first = group[0];
    if (!first) continue;
    const y = pageHeight - baseline + first.dy * size;
    doc.addContent(`/${font.name} ${num(size)} Tf 1 0 0 1 ${num(x + (first.x + first.dx) * size)} ${num(y)} Tm`);
    const parts: string[] = [];
    group.forEach((glyph, i) => {
      const previous = group[i - 1];
      if (previous) {
        // Where the PDF's pen is after the previous glyph, against where this glyph goes.
        const gap = (previous.x + previous.dx + previous.width - (glyph.x + glyph.dx)) * 1000;
        if (Math.abs(gap) > 1e-6) parts.push(num(gap));
      }
      parts.push(`<${font.code(glyph.id, glyph.width, glyph.codePoints).toString(16).padStart(4, '0')}>`);
    });
    doc.addContent(`[${parts.join(' ')}] TJ`);
  }
  doc.addContent('ET');
  doc.endMarkedContent();
  doc.restore();
}

/** Consecutive glyphs in one font on one height: one Tm and one TJ each. */
function sameFontAndHeight(glyphs: PlacedGlyph[]): PlacedGlyph[][] {
  const groups: PlacedGlyph[][] = [];
  for (const glyph of glyphs) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group && last && last.font === glyph.font && last.dy === glyph.dy) group.push(glyph);
    else groups.push([glyph]);
  }
  return groups;
}

function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
