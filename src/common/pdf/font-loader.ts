/**
 * Each font file is read and parsed once per process, the first time some text needs it (a
 * document in Latin and Thai never reads the 10 MB Chinese font). fontkit parses tables lazily,
 * so keeping the parsed font also keeps its decoded cmap, GSUB and GPOS for later documents.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
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

/** Whether the font has a glyph for every code point of `text` (default-ignorable ones aside). */
export function covers(key: FontKey, text: string): boolean {
  const { font } = loadFont(key);
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (!IGNORABLE.test(ch) && !font.hasGlyphForCodePoint(code)) return false;
  }
  return true;
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
