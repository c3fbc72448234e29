/**
 * Each font file is read and parsed once per process, the first time some text needs it (a
 * document in Latin and Thai never reads the 10 MB Chinese font). fontkit parses tables lazily,
 * so keeping the parsed font also keeps its decoded cmap, GSUB and GPOS for later documents.
 */
import { readFileSync } from 'node:fs';
import { create, type Font, type Glyph } from 'fontkit';
import { fontFile, type FontKey } from './font-catalogue.js';

export interface LoadedFont {
  key: FontKey;
  /** The file's bytes, handed to pdfkit to embed (it subsets them per document). */
  data: Buffer;
  font: Font;
}

const loaded = new Map<FontKey, LoadedFont>();

export function loadFont(key: FontKey): LoadedFont {
  let entry = loaded.get(key);
  if (!entry) {
    const data = readFileSync(fontFile(key));
    const font = create(data);
    if (!('layout' in font)) throw new Error(`${key}: expected a single font, found a collection`);
    entry = { key, data, font };
    loaded.set(key, entry);
  }
  return entry;
}

/**
 * Whether the font draws every code point of `text` (default-ignorable ones aside): it maps each
 * to a glyph, and fontkit can read that glyph (Nanum Gothic's space glyph, for one, lies past the
 * end of its tables: such a character is left to the next font).
 */
export function covers(key: FontKey, text: string): boolean {
  for (const ch of text) {
    if (!IGNORABLE.test(ch) && !drawable(key, ch.codePointAt(0) ?? 0)) return false;
  }
  return true;
}

const drawableCache = new Map<FontKey, Map<number, boolean>>();

function drawable(key: FontKey, code: number): boolean {
  let known = drawableCache.get(key);
  if (!known) drawableCache.set(key, (known = new Map()));
  let answer = known.get(code);
  if (answer === undefined) {
    const { font } = loadFont(key);
    answer = font.hasGlyphForCodePoint(code) && readable(() => font.glyphForCodePoint(code));
    known.set(code, answer);
  }
  return answer;
}

function readable(glyph: () => Glyph): boolean {
  try {
    const { advanceWidth, bbox } = glyph();
    return Number.isFinite(advanceWidth) && bbox !== undefined;
  } catch {
    return false;
  }
}

/** Joiners, variation selectors and other invisible format characters: no glyph needed. */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;

const reverseCmaps = new Map<FontKey, Map<number, number>>();

/** The character the font's cmap maps to this glyph (the lowest, if several), if any. */
export function cmapCodePoint(key: FontKey, glyphId: number): number | undefined {
  let reverse = reverseCmaps.get(key);
  if (!reverse) {
    const { font } = loadFont(key);
    reverse = new Map();
    for (const code of [...font.characterSet].sort((a, b) => a - b)) {
      const id = font.glyphForCodePoint(code).id;
      if (!reverse.has(id)) reverse.set(id, code);
    }
    reverseCmaps.set(key, reverse);
  }
  return reverse.get(glyphId);
}
