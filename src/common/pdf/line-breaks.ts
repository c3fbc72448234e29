/**
 * Where a line may break: after white space; between two Thai words (Thai writes no spaces
 * between words: ICU's dictionary finds them, and a Thai syllable is never cut); between
 * Chinese or Japanese characters; after a hyphen inside a word ("Ñúñez-|Łukasiewicz").
 */

const WORDS = new Intl.Segmenter('th', { granularity: 'word' });
const THAI = /\p{Script=Thai}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const SPACE = /^\s+$/u;
const HYPHEN = /[-\u2010]$/u;
const LETTER = /^\p{L}/u;
/** Closing punctuation that must stay on the line of the character before it. */
const NO_BREAK_BEFORE = /^[)\]}、。，．・：；！？」』）〕〉》】ー々…]/u;
/** Opening punctuation that must stay with the character after it. */
const NO_BREAK_AFTER = /[([{「『（〔〈《【]$/u;

/** The string offsets at which a new line may start. */
export function breakOffsets(text: string): Set<number> {
  const breaks = new Set<number>();
  const segments = Array.from(WORDS.segment(text), ({ segment, index }) => ({ segment, index }));
  segments.forEach((next, i) => {
    const prev = segments[i - 1];
    if (prev && mayBreakBetween(prev.segment, next.segment, segments[i - 2]?.segment ?? '')) breaks.add(next.index);
    cjkBreaksInside(next.segment, next.index, breaks);
  });
  return breaks;
}

function mayBreakBetween(prev: string, next: string, beforePrev: string): boolean {
  if (SPACE.test(next)) return false;
  if (SPACE.test(prev)) return true;
  if (NO_BREAK_BEFORE.test(next) || NO_BREAK_AFTER.test(prev)) return false;
  if (THAI.test(prev) && THAI.test(next)) return true;
  if (CJK.test(prev.slice(-1)) || CJK.test(next.charAt(0))) return true;
  return HYPHEN.test(prev) && LETTER.test(next) && (prev.length > 1 || /\p{L}$/u.test(beforePrev));
}

/** Chinese and Japanese break between any two characters (bar closing punctuation). */
function cjkBreaksInside(segment: string, start: number, breaks: Set<number>): void {
  const chars = Array.from(segment);
  let offset = start;
  chars.forEach((ch, i) => {
    const prev = chars[i - 1];
    if (prev !== undefined && (CJK.test(prev) || CJK.test(ch)) && !NO_BREAK_BEFORE.test(ch) && !NO_BREAK_AFTER.test(prev)) {
      breaks.add(offset);
    }
    offset += ch.length;
  });
}
