/**
 * Our glyphs in pdfkit's embedded fonts. pdfkit 0.20 has no public way to draw glyphs that were
 * shaped elsewhere, so this file, and only this one, uses its EmbeddedFont internals: the subset
 * (glyph → code), the widths and ToUnicode tables it writes when the document ends, and the page's
 * font resources. pdfkit is pinned; the PDF tests fail loudly if these internals move.
 */
import type { FontKey } from './font-catalogue.js';
import { cmapCodePoint, loadFont } from './font-loader.js';

/** pdfkit's EmbeddedFont, as far as it is used here. */
interface PdfkitEmbeddedFont {
  id: string;
  subset: { includeGlyph(glyphId: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}

interface PdfkitInternals {
  _font: unknown;
  _registeredFonts: Record<string, unknown>;
  page: { fonts: Record<string, unknown> };
}

export interface DocumentFont {
  /** The font's resource name in the content stream ("F3"). */
  name: string;
  /** The glyph's code in this document's subset of the font (recording its width and characters). */
  code(glyphId: number, width: number, codePoints: readonly number[]): number;
  /** Lists the font among the current page's resources. */
  useOnPage(): void;
}

const perDocument = new WeakMap<PDFKit.PDFDocument, Map<FontKey, DocumentFont>>();

export function documentFont(doc: PDFKit.PDFDocument, key: FontKey): DocumentFont {
  let fonts = perDocument.get(doc);
  if (!fonts) perDocument.set(doc, (fonts = new Map()));
  let font = fonts.get(key);
  if (!font) fonts.set(key, (font = embed(doc, key)));
  return font;
}

function embed(doc: PDFKit.PDFDocument, key: FontKey): DocumentFont {
  const internals = doc as unknown as PdfkitInternals;
  const alias = `embedded:${key}`;
  if (!(alias in internals._registeredFonts)) doc.registerFont(alias, loadFont(key).data);
  const current = internals._font;
  doc.font(alias);
  const font = internals._font as PdfkitEmbeddedFont;
  internals._font = current; // drawing our glyphs leaves the document's own font as it was
  if (typeof font.subset?.includeGlyph !== 'function' || !Array.isArray(font.widths) || !Array.isArray(font.unicode)) {
    throw new Error('pdfkit internals changed: EmbeddedFont has no subset/widths/unicode');
  }
  return {
    name: font.id,
    code(glyphId, width, codePoints) {
      const code = font.subset.includeGlyph(glyphId);
      font.widths[code] ??= width * 1000;
      font.unicode[code] ??= textOfGlyph(key, glyphId, codePoints);
      return code;
    },
    useOnPage() {
      internals.page.fonts[font.id] ??= font.ref();
    },
  };
}

/**
 * What the ToUnicode table says a glyph is: the character the font maps to it, else the characters
 * shaping made it from. The table has one entry per glyph, so a glyph shaped from a sequence (the
 * SARA AA half of ำ) must not claim the sequence; the exact text of each line is in ActualText.
 */
function textOfGlyph(key: FontKey, glyphId: number, codePoints: readonly number[]): number[] {
  const mapped = cmapCodePoint(key, glyphId);
  return mapped !== undefined ? [mapped] : [...codePoints];
}
