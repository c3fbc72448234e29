/**
 * What HarfBuzz's Thai shaper does before a font's own lookups run, and fontkit (pdfkit's font
 * engine) does not: SARA AM (ำ) becomes NIKHAHIT + SARA AA, and the NIKHAHIT moves in front of
 * the above-base marks written before it, so a tone mark stacks above the NIKHAHIT (น้ำ) instead
 * of under it. Fonts are designed and tested against that order; without it a font that leaves
 * the decomposition to the shaper (Noto Sans Thai) draws the NIKHAHIT on top of the tone mark.
 */

const ABOVE_BASE = '\\u0E31\\u0E34-\\u0E37\\u0E47-\\u0E4E';
const SARA_AM = new RegExp(`([${ABOVE_BASE}]*)\\u0E33`, 'gu');

export function prepareThai(text: string): string {
  return text.replace(SARA_AM, '\u0E4D$1\u0E32');
}
