/**
 * A run of text in one font and script, shaped by fontkit (GSUB substitutions, GPOS kerning and
 * mark positioning), in ems. Runs are cached per process: documents repeat the same words.
 */
import type { Font, Glyph, GlyphRun } from 'fontkit';
import type { FontKey } from './font-catalogue.js';
import { loadFont } from './font-loader.js';
import { prepareThai } from './thai-shaping.js';

export interface ShapedGlyph {
  id: number;
  /** Where the next glyph starts, from this one's origin (GPOS-adjusted; 0 for a mark). */
  advance: number;
  /** The glyph's own advance width: what the PDF's width table says for it. */
  width: number;
  /** Where the glyph is drawn relative to its origin (GPOS mark attachment); dy up. */
  dx: number;
  dy: number;
  codePoints: readonly number[];
}

export interface ShapedRun {
  font: FontKey;
  glyphs: readonly ShapedGlyph[];
  advance: number;
}

const cache = new Map<string, ShapedRun>();
const CACHE_LIMIT = 20_000;

export function shapeRun(font: FontKey, text: string, thai: boolean): ShapedRun {
  const cacheKey = `${font}\u0000${thai ? 't' : ''}\u0000${text}`;
  let run = cache.get(cacheKey);
  if (!run) {
    run = shape(font, thai ? prepareThai(text) : text, thai);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, run);
  }
  return run;
}

function shape(key: FontKey, text: string, thai: boolean): ShapedRun {
  const { font } = loadFont(key);
  const em = 1 / font.unitsPerEm;
  const run = layout(font, text, thai);
  const glyphs = run.glyphs.map((glyph: Glyph, i: number): ShapedGlyph => {
    const position = run.positions[i];
    return {
      id: glyph.id,
      advance: (position?.xAdvance ?? glyph.advanceWidth) * em,
      width: glyph.advanceWidth * em,
      dx: (position?.xOffset ?? 0) * em,
      dy: (position?.yOffset ?? 0) * em,
      codePoints: glyph.codePoints,
    };
  });
  return { font: key, glyphs, advance: glyphs.reduce((sum, g) => sum + g.advance, 0) };
}

/**
 * fontkit's layout; if it fails on some sequence (it has, on some Thai mark sequences in other
 * fonts), the plain cmap glyphs: unshaped, but the document still renders.
 */
function layout(font: Font, text: string, thai: boolean): Pick<GlyphRun, 'glyphs' | 'positions'> {
  try {
    return font.layout(text, undefined, thai ? 'thai' : undefined);
  } catch {
    const glyphs = Array.from(text, (ch) => font.glyphForCodePoint(ch.codePointAt(0) ?? 0));
    return { glyphs, positions: glyphs.map((g) => ({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 })) };
  }
}
