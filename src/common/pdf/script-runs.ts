/**
 * Splits text into grapheme clusters (a Thai consonant keeps its vowel and tone marks) and gives
 * each cluster the font that draws it: a word of one script takes the first font in the face's
 * fallback order that has all its characters, so a name never mixes two designs; spaces, digits
 * and punctuation take the font of the words around them when both agree, else the first font
 * that has them.
 */
import { FALLBACK, type Face, type FontKey } from './font-catalogue.js';
import { covers } from './font-loader.js';

/** What decides a line's height: Thai stacks marks above and below, CJK fills the em. */
export type ScriptClass = 'thai' | 'cjk' | 'other';

export interface Cluster {
  /** The characters as written: what the PDF's text layer gives back. */
  text: string;
  /** What is shaped: the canonical composition, so precomposed glyphs are used where they exist. */
  shaped: string;
  font: FontKey;
  script: ScriptClass;
  /** White space: a line may break after it, and drops it at its end. */
  space: boolean;
}

const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });

const SCRIPTS: ReadonlyArray<[group: string, pattern: RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['thai', /\p{Script=Thai}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
];
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** The script group of a cluster's first letter; null for spaces, digits, punctuation and symbols. */
function scriptGroup(cluster: string): string | null {
  for (const ch of cluster) {
    if (NEUTRAL.test(ch)) continue;
    return SCRIPTS.find(([, pattern]) => pattern.test(ch))?.[0] ?? 'other';
  }
  return null;
}

function scriptClass(group: string | null): ScriptClass {
  if (group === 'thai') return 'thai';
  return group === 'cjk' || group === 'hangul' ? 'cjk' : 'other';
}

interface Draft {
  text: string;
  shaped: string;
  group: string | null;
  font?: FontKey;
}

export function fontClusters(text: string, face: Face): Cluster[] {
  const chain = FALLBACK[face];
  const drafts: Draft[] = Array.from(GRAPHEMES.segment(text), ({ segment }) => ({
    text: segment,
    shaped: segment.normalize('NFC'),
    group: scriptGroup(segment),
  }));
  assignWordFonts(drafts, chain);
  assignNeutralFonts(drafts, chain);
  return drafts.map((d) => ({
    text: d.text,
    shaped: d.shaped,
    font: d.font ?? chain[0] ?? 'sarabun-regular',
    script: scriptClass(d.group),
    space: /^\s+$/u.test(d.text),
  }));
}

/** Each run of letters of one script gets the first font that has all of them (else cluster by cluster). */
function assignWordFonts(drafts: Draft[], chain: readonly FontKey[]): void {
  let start = 0;
  while (start < drafts.length) {
    const group = drafts[start]?.group ?? null;
    let end = start + 1;
    while (group !== null && end < drafts.length && drafts[end]?.group === group) end++;
    if (group !== null) {
      const word = drafts.slice(start, end);
      const whole = chain.find((key) => word.every((d) => covers(key, d.shaped)));
      for (const d of word) d.font = whole ?? firstCovering(chain, d.shaped);
    }
    start = end;
  }
}

function assignNeutralFonts(drafts: Draft[], chain: readonly FontKey[]): void {
  const after: Array<FontKey | undefined> = [];
  let next: FontKey | undefined;
  for (let i = drafts.length - 1; i >= 0; i--) {
    after[i] = next;
    if (drafts[i]?.group !== null) next = drafts[i]?.font;
  }
  let before: FontKey | undefined;
  drafts.forEach((d, i) => {
    if (d.group !== null) {
      before = d.font;
      return;
    }
    d.font = before && before === after[i] && covers(before, d.shaped) ? before : firstCovering(chain, d.shaped);
  });
}

/** The first font with every character; else the first with the base character; else the first (it draws a box). */
function firstCovering(chain: readonly FontKey[], cluster: string): FontKey | undefined {
  const base = String.fromCodePoint(cluster.codePointAt(0) ?? 0x20);
  return chain.find((key) => covers(key, cluster)) ?? chain.find((key) => covers(key, base)) ?? chain[0];
}
