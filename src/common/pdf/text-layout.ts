/**
 * Lays text out in lines of at most a given width, in points, without a document: measuring and
 * drawing use the same layout, so a table row measured for its tallest cell fits what is drawn.
 *
 * Each paragraph ("\n" ends one) is split into font clusters (script-runs.ts) and then into the
 * pieces between break opportunities (line-breaks.ts); a piece is shaped run by run (one font,
 * one script) and pieces fill lines greedily. A piece wider than the line is cut between grapheme
 * clusters, never inside one, so a mark always stays with its base.
 */
import type { Face, FontKey } from './font-catalogue.js';
import { breakOffsets } from './line-breaks.js';
import { type Cluster, fontClusters, type ScriptClass } from './script-runs.js';
import { shapeRun, type ShapedGlyph } from './shape-run.js';

export interface PlacedGlyph extends ShapedGlyph {
  font: FontKey;
  /** The pen position from the line's start, in ems of the block's size. */
  x: number;
}

export interface TextLine {
  /** The line's characters as written (its trailing spaces dropped): the text layer. */
  text: string;
  glyphs: PlacedGlyph[];
  /** Points: the drawn width, and the line box above and below the baseline. */
  width: number;
  ascent: number;
  descent: number;
}

export interface TextBlock {
  size: number;
  lineGap: number;
  lines: TextLine[];
  /** Points, lines and the gap after each, as pdfkit counts a text block's height. */
  height: number;
  /**
   * Points the first line's box reaches above the block (its script's ascent over the Latin one
   * it is set on, see METRICS): where its Thai marks go. Text stacked under other text leaves
   * this much free above it (PdfWriter.putBelow); 0 for a Latin first line.
   */
  above: number;
}

export interface LayoutOptions {
  face: Face;
  size: number;
  width: number;
  /** Extra points between lines (and after the last, as pdfkit does). */
  lineGap: number;
}

/**
 * The line box per script, in ems above and below the baseline. Latin keeps the pitch of the
 * Helvetica the documents used (1.16 em); Thai stacks a tone mark above an upper vowel (up to
 * 1.25 em in Sarabun) and a vowel below the base (0.35 em), so two Thai lines need 1.6 em.
 *
 * The first line of every block has its baseline at the Latin ascent whatever its script, so
 * text put side by side at one y (a bullet and its item, the cells of a table row, a name and
 * "Page 1 of 2") shares a baseline; a Thai first line's box then reaches 0.35 em above the
 * block (its marks up to 0.45 em, the rest in the descent of the text above, as between two lines
 * of one block). The block reports that reach (`above`), so text stacked under a caption or any
 * other text leaves it free instead of the marks running into the text above.
 */
const METRICS: Readonly<Record<ScriptClass, { ascent: number; descent: number }>> = {
  other: { ascent: 0.8, descent: 0.36 },
  thai: { ascent: 1.15, descent: 0.45 },
  cjk: { ascent: 0.95, descent: 0.3 },
};

interface Piece {
  clusters: Cluster[];
  /** How many of the clusters are not trailing white space. */
  bodyCount: number;
  /** The piece without its trailing white space, and the space, shaped, in ems. */
  body: PlacedGlyph[];
  bodyWidth: number;
  trail: PlacedGlyph[];
  trailWidth: number;
}

/**
 * Documents measure a text before they draw it and repeat the same words: blocks, and each
 * paragraph's shaped pieces (which do not depend on the width), are kept per process.
 */
const blocks = new Map<string, TextBlock>();
const paragraphs = new Map<string, Piece[]>();
const CACHE_LIMIT = 5_000;

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

export function layoutText(text: string, options: LayoutOptions): TextBlock {
  const key = `${options.face}|${options.size}|${options.width}|${options.lineGap}|${text}`;
  return cached(blocks, key, () => layoutBlock(text, options));
}

function layoutBlock(text: string, options: LayoutOptions): TextBlock {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((paragraph) => layoutParagraph(paragraph, options));
  const [first] = lines;
  const baseline = METRICS.other.ascent * options.size;
  const above = first ? Math.max(0, first.ascent - baseline) : 0;
  if (first) first.ascent = baseline;
  const height = lines.reduce((sum, line) => sum + line.ascent + line.descent + options.lineGap, 0);
  return { size: options.size, lineGap: options.lineGap, lines, height, above };
}

function layoutParagraph(paragraph: string, options: LayoutOptions): TextLine[] {
  const shaped = cached(paragraphs, `${options.face}|${paragraph}`, () => pieces(paragraph, fontClusters(paragraph, options.face)));
  const maxWidth = options.width / options.size;
  const lines: Piece[][] = [];
  let current: Piece[] = [];
  let used = 0;
  for (const piece of fitPieces(shaped, maxWidth)) {
    if (current.length > 0 && used + piece.bodyWidth > maxWidth + 1e-9) {
      lines.push(current);
      current = [];
      used = 0;
    }
    current.push(piece);
    used += piece.bodyWidth + piece.trailWidth;
  }
  lines.push(current);
  return lines.map((line) => toLine(line, options.size));
}

/** The clusters between break opportunities, each shaped. */
function pieces(paragraph: string, clusters: Cluster[]): Piece[] {
  const breaks = breakOffsets(paragraph);
  const groups: Cluster[][] = [];
  let offset = 0;
  for (const cluster of clusters) {
    const last = groups[groups.length - 1];
    if (!last || breaks.has(offset)) groups.push([cluster]);
    else last.push(cluster);
    offset += cluster.text.length;
  }
  return groups.map(toPiece);
}

/** Pieces wider than a line, cut between clusters. */
function fitPieces(all: Piece[], maxWidth: number): Piece[] {
  return all.flatMap((piece) => (piece.bodyWidth > maxWidth && piece.clusters.length > 1 ? piece.clusters.map((c) => toPiece([c])) : [piece]));
}

function toPiece(clusters: Cluster[]): Piece {
  let split = clusters.length;
  while (split > 0 && clusters[split - 1]?.space) split--;
  const body = place(clusters.slice(0, split));
  const trail = place(clusters.slice(split));
  return { clusters, bodyCount: split, body: body.glyphs, bodyWidth: body.width, trail: trail.glyphs, trailWidth: trail.width };
}

/** Shapes clusters run by run (a new run where the font or the script changes); pen positions from 0. */
function place(clusters: Cluster[]): { glyphs: PlacedGlyph[]; width: number } {
  const glyphs: PlacedGlyph[] = [];
  let x = 0;
  for (const run of runs(clusters)) {
    const shaped = shapeRun(run.font, run.text, run.script === 'thai');
    for (const glyph of shaped.glyphs) {
      glyphs.push(placed(glyph, run.font, x));
      x += glyph.advance;
    }
  }
  return { glyphs, width: x };
}

function runs(clusters: Cluster[]): Array<{ font: FontKey; script: ScriptClass; text: string }> {
  const out: Array<{ font: FontKey; script: ScriptClass | null; text: string }> = [];
  for (const c of clusters) {
    const strong = c.script === 'other' ? null : c.script;
    const last = out[out.length - 1];
    if (last && last.font === c.font && (strong === null || last.script === null || last.script === strong)) {
      last.text += c.shaped;
      last.script ??= strong;
    } else {
      out.push({ font: c.font, script: strong, text: c.shaped });
    }
  }
  return out.map((r) => ({ ...r, script: r.script ?? 'other' }));
}

function toLine(pieces: Piece[], size: number): TextLine {
  const glyphs: PlacedGlyph[] = [];
  let x = 0;
  pieces.forEach((piece, i) => {
    const last = i === pieces.length - 1;
    for (const g of piece.body) glyphs.push(placed(g, g.font, x + g.x));
    if (!last) for (const g of piece.trail) glyphs.push(placed(g, g.font, x + piece.bodyWidth + g.x));
    x += piece.bodyWidth + (last ? 0 : piece.trailWidth);
  });
  const clusters = pieces.flatMap((piece, i) => (i === pieces.length - 1 ? piece.clusters.slice(0, piece.bodyCount) : piece.clusters));
  const scripts = new Set<ScriptClass>(['other', ...clusters.map((c) => c.script)]);
  const ascent = Math.max(...[...scripts].map((s) => METRICS[s].ascent));
  const descent = Math.max(...[...scripts].map((s) => METRICS[s].descent));
  return { text: clusters.map((c) => c.text).join(''), glyphs, width: x * size, ascent: ascent * size, descent: descent * size };
}

/** A fixed-shape object literal: far cheaper than spreading, at a few thousand glyphs a page. */
function placed(g: ShapedGlyph, font: FontKey, x: number): PlacedGlyph {
  return { id: g.id, advance: g.advance, width: g.width, dx: g.dx, dy: g.dy, codePoints: g.codePoints, font, x };
}
