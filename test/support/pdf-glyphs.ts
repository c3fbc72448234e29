import { inflateSync } from 'node:zlib';
import { create, type Font } from 'fontkit';

/**
 * Where each glyph of embedded-font text is drawn in a PDF written by pdfkit, and its ink box,
 * read back from the PDF itself: the content streams' `Tf`, `Tm` and `TJ` operators give each
 * glyph's origin (advancing by the font's `/W` widths and the TJ adjustments), and the embedded
 * subset font program (`/FontFile2`) gives the glyph's bounding box. So a test sees what a viewer
 * draws, not what the layout meant to draw.
 *
 * Limits: for our text layout's output (src/common/pdf/draw-text.ts): Identity-H fonts with
 * TrueType subsets, text space equal to the page's default user space (y up, points: draw-text
 * undoes pdfkit's page flip), no `Td`/`TD`/`T*`, `Tc`, `Tw`, `Tz` or `'`/`"`; standard-font text
 * is skipped. Pages come in file order, as pdfkit writes them.
 */
export interface DrawnGlyph {
  /** The font's PostScript name, without the subset tag. */
  font: string;
  /** The glyph's code (its index in the subset). */
  code: number;
  size: number;
  /** The glyph's origin. */
  x: number;
  y: number;
  /** The glyph's ink box on the page (null for a blank glyph such as a space). */
  box: { x0: number; y0: number; x1: number; y1: number } | null;
  /** The content stream (one a page, in file order) and the text object (BT … ET: one laid-out line) it was drawn in. */
  stream: number;
  line: number;
}

/** Points of overlap that do not count (rounding in the PDF's numbers). */
const EPSILON = 0.05;

/**
 * Pairs of glyphs of different lines whose ink boxes overlap on the same page (a tone mark in a
 * caption, a descender in the row below), or, given a `clearance` in points, one above the other
 * with less than that between them. Glyphs of one line may overlap (a mark on its base).
 */
export function overlapsBetweenLines(glyphs: DrawnGlyph[], clearance = 0): Array<[DrawnGlyph, DrawnGlyph]> {
  // Swept bottom to top per page, so only boxes that share some height are compared.
  const inked = glyphs
    .filter((g): g is DrawnGlyph & { box: NonNullable<DrawnGlyph['box']> } => g.box !== null)
    .sort((a, b) => a.stream - b.stream || a.box.y0 - b.box.y0);
  const found: Array<[DrawnGlyph, DrawnGlyph]> = [];
  inked.forEach((a, i) => {
    for (let j = i + 1; j < inked.length; j++) {
      const b = inked[j]!;
      if (b.stream !== a.stream || b.box.y0 >= a.box.y1 + clearance - EPSILON) break;
      if (a.line === b.line) continue;
      const across = Math.min(a.box.x1, b.box.x1) - Math.max(a.box.x0, b.box.x0);
      const up = Math.min(a.box.y1, b.box.y1) - Math.max(a.box.y0, b.box.y0);
      if (across > EPSILON && up > EPSILON - clearance) found.push([a, b]);
    }
  });
  return found;
}

interface PdfObject {
  body: string;
  start: number;
}

interface EmbeddedFont {
  name: string;
  widths: number[];
  program: Font;
}

export function drawnGlyphs(pdf: Buffer): DrawnGlyph[] {
  const objects = readObjects(pdf);
  const fonts = new Map<string, EmbeddedFont>();
  const raw = pdf.toString('latin1');
  for (const [, resource, ref] of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const font = resource && ref ? embeddedFont(pdf, objects, Number(ref)) : null;
    if (resource && font && !fonts.has(resource)) fonts.set(resource, font);
  }
  const glyphs: DrawnGlyph[] = [];
  let stream = 0;
  for (const object of objects.values()) {
    const content = streamOf(pdf, object)?.toString('latin1') ?? '';
    if (/\bBT\b/.test(content) && !/FontFile2|Subtype \/Image/.test(object.body)) glyphs.push(...glyphsOfContent(content, fonts, stream++));
  }
  return glyphs;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>();
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/(\d+) 0 obj\s*/g)) {
    objects.set(Number(match[1]), { body: raw.slice((match.index ?? 0) + match[0].length, raw.indexOf('endobj', match.index)), start: (match.index ?? 0) + match[0].length });
  }
  return objects;
}

function streamOf(pdf: Buffer, object: PdfObject): Buffer | null {
  const head = /^<<([\s\S]*?)>>\s*stream\r?\n/.exec(object.body);
  const length = head ? /\/Length (\d+)/.exec(head[1] ?? '') : null;
  if (!head || !length) return null;
  const start = object.start + head[0].length;
  const data = pdf.subarray(start, start + Number(length[1]));
  return /\/FlateDecode/.test(head[1] ?? '') ? inflateSync(data) : data;
}

function embeddedFont(pdf: Buffer, objects: Map<number, PdfObject>, ref: number): EmbeddedFont | null {
  const type0 = objects.get(ref)?.body ?? '';
  const descendant = objects.get(Number(/\/DescendantFonts \[(\d+) 0 R\]/.exec(type0)?.[1]))?.body ?? '';
  const descriptor = objects.get(Number(/\/FontDescriptor (\d+) 0 R/.exec(descendant)?.[1]))?.body ?? '';
  const file = objects.get(Number(/\/FontFile2 (\d+) 0 R/.exec(descriptor)?.[1]));
  const data = file ? streamOf(pdf, file) : null;
  if (!data) return null;
  const program = create(data);
  if (!('getGlyph' in program)) return null;
  const widths = (/\/W \[0 \[([^\]]*)\]\]/.exec(descendant)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const name = (/\/BaseFont \/(?:[A-Z]{6}\+)?(\S+)/.exec(type0)?.[1] ?? '').replace(/_/g, ' ');
  return { name, widths, program };
}

const TOKEN = /\/(F\d+)\s+(-?[\d.]+)\s+Tf\b|(-?[\d.]+)\s+(-?[\d.]+)\s+Tm\b|\[([^\]]*)\]\s*TJ\b|\b(BT)\b/g;

function glyphsOfContent(content: string, fonts: Map<string, EmbeddedFont>, stream: number): DrawnGlyph[] {
  const glyphs: DrawnGlyph[] = [];
  let font: EmbeddedFont | undefined;
  let size = 0;
  let x = 0;
  let y = 0;
  let line = -1;
  for (const [, resource, fontSize, tmX, tmY, array, begin] of content.matchAll(TOKEN)) {
    if (begin !== undefined) {
      line++;
    } else if (resource !== undefined) {
      font = fonts.get(resource);
      size = Number(fontSize);
    } else if (tmX !== undefined) {
      x = Number(tmX);
      y = Number(tmY);
    } else if (array !== undefined && font) {
      for (const [, hex, adjust] of array.matchAll(/<([0-9a-fA-F]+)>|(-?[\d.]+)/g)) {
        if (adjust !== undefined) x -= (Number(adjust) / 1000) * size;
        for (const code of (hex ?? '').match(/.{4}/g) ?? []) {
          const glyph = drawn(font, parseInt(code, 16), size, x, y, stream, line);
          glyphs.push(glyph);
          x += ((font.widths[glyph.code] ?? 0) / 1000) * size;
        }
      }
    }
  }
  return glyphs;
}

function drawn(font: EmbeddedFont, code: number, size: number, x: number, y: number, stream: number, line: number): DrawnGlyph {
  const bbox = font.program.getGlyph(code).bbox;
  const scale = size / font.program.unitsPerEm;
  const blank = !Number.isFinite(bbox.minX) || bbox.maxX <= bbox.minX;
  const box = blank ? null : { x0: x + bbox.minX * scale, y0: y + bbox.minY * scale, x1: x + bbox.maxX * scale, y1: y + bbox.maxY * scale };
  return { font: font.name, code, size, x, y, box, stream, line };
}
