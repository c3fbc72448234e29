import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { drawnGlyphs, type DrawnGlyph } from '../../../test/support/pdf-glyphs.js';
import { extractPdfText } from '../../../test/support/pdf-text.js';
import { faceOf } from './font-catalogue.js';
import { A4, FONT, type TextStyle } from './pdf-style.js';
import { PdfWriter } from './pdf-writer.js';
import { renderA4Pdf } from './render-pdf.js';
import { layoutText, type PlacedGlyph } from './text-layout.js';

/** Names as patients write them (domain.md §12), and Thai words whose marks stack. */
const THAI_WORDS = 'น้ำ ที่ ลิ้น หนี้';
const NAMES = ['Somchai สมชาย ใจดี', '王秀英', '山田 花子', '김민준', 'Иван Петров', 'Zoë Ñúñez-Łukasiewicz'];
const STYLES: TextStyle[] = [{ font: FONT.regular }, { font: FONT.bold }, { font: FONT.italic }];
const SIZE = 24;
const LEFT = 50;
const WIDTH = 400;
const LINE_GAP = 1.2;

/**
 * Each string in each style on its own line, the Thai words first: a glyph shared by ำ and า
 * (SARA AA) is then first met inside น้ำ, which is what broke pdfkit's own ToUnicode table.
 * With MULTISCRIPT_PDF_SAMPLES=/tmp the PDF is also saved there to look at.
 */
async function renderSample(): Promise<{ pdf: Buffer; lines: Array<{ text: string; style: TextStyle; y: number }> }> {
  const lines: Array<{ text: string; style: TextStyle; y: number }> = [];
  const pdf = await renderA4Pdf({ left: LEFT, right: LEFT + WIDTH, top: 40, contentBottom: 800 }, () => ({ Title: 'Names in every script', CreationDate: new Date(0) }), (doc) => {
    const writer = new PdfWriter(doc, { left: LEFT, right: LEFT + WIDTH, lineGap: LINE_GAP });
    let y = 40;
    for (const text of [THAI_WORDS, ...NAMES]) {
      for (const style of STYLES) {
        lines.push({ text, style, y });
        y += writer.put(text, LEFT, y, WIDTH, { ...style, size: SIZE });
      }
    }
  });
  const dir = process.env.MULTISCRIPT_PDF_SAMPLES;
  if (dir) writeFileSync(path.join(dir, 'multiscript-sample.pdf'), pdf);
  return { pdf, lines };
}

function pdftotext(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'multiscript-')), 'sample.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
if (!hasPdftotext) console.warn('pdftotext (poppler-utils) is not installed: the copy-and-paste test is skipped. Install it: apt-get install -y poppler-utils');

describe('text in every script, in a PDF', () => {
  it('gives back each name exactly in the text layer, with no "?"', async () => {
    const { pdf } = await renderSample();
    const lines = extractPdfText(pdf).split('\n');

    for (const text of [THAI_WORDS, ...NAMES]) expect(lines.filter((line) => line === text)).toHaveLength(STYLES.length);
    expect(lines.join('')).not.toContain('?');
  });

  (hasPdftotext ? it : it.skip)('copies and pastes as written: pdftotext finds each name exactly', async () => {
    const { pdf } = await renderSample();
    const lines = pdftotext(pdf).split('\n');

    for (const text of [THAI_WORDS, ...NAMES]) expect(lines.filter((line) => line === text)).toHaveLength(STYLES.length);
    expect(lines.join('')).not.toContain('?');
  });

  it('draws every character with a real glyph of an embedded font (none missing)', () => {
    for (const style of STYLES) {
      for (const text of [THAI_WORDS, ...NAMES]) {
        const block = layoutText(text, { face: faceOf(style.font), size: SIZE, width: WIDTH, lineGap: LINE_GAP });
        const glyphs = block.lines.flatMap((line) => line.glyphs);
        expect(glyphs.filter((g) => g.id === 0)).toEqual([]);
        expect(block.lines).toHaveLength(1);
      }
    }
  });

  it('copies characters no embedded font has as written (drawn as the missing-glyph box)', async () => {
    const rare = 'Family: 𠮷田 नमस्ते 😀';
    const pdf = await renderA4Pdf({ left: LEFT, right: LEFT + WIDTH, top: 40, contentBottom: 800 }, () => ({}), (doc) => {
      new PdfWriter(doc, { left: LEFT, right: LEFT + WIDTH, lineGap: LINE_GAP }).put(rare, LEFT, 40, WIDTH);
    });

    expect(extractPdfText(pdf)).toBe(rare);
    if (hasPdftotext) expect(pdftotext(pdf).trim()).toBe(rare);
  });

  it('stacks Thai tone marks above the upper vowels, and no two glyphs of a cluster overlap, as drawn in the PDF', async () => {
    const { pdf, lines } = await renderSample();
    const drawn = drawnGlyphs(pdf);
    const thaiLines = lines.filter((line) => /\p{Script=Thai}/u.test(line.text));
    let stacked = 0;
    let offset = 0;

    for (const line of lines) {
      const block = layoutText(line.text, { face: faceOf(line.style.font), size: SIZE, width: WIDTH, lineGap: LINE_GAP });
      const [laid] = block.lines;
      const glyphs = drawn.slice(offset, offset + (laid?.glyphs.length ?? 0));
      offset += glyphs.length;
      if (!laid || !thaiLines.includes(line)) continue;
      expectDrawnWhereLaid(laid.glyphs, glyphs, line.y + laid.ascent);
      for (const cluster of thaiClusters(laid.glyphs, glyphs)) stacked += expectStacked(cluster);
    }
    expect(offset).toBe(drawn.length);
    expect(stacked).toBeGreaterThanOrEqual(3 * STYLES.length); // ที่ ลิ้น หนี้: a tone mark above an upper vowel
  });
});

/** Each drawn glyph sits at the layout's pen position plus its GPOS offset (none dropped). */
function expectDrawnWhereLaid(laid: PlacedGlyph[], drawn: DrawnGlyph[], baseline: number): void {
  expect(drawn).toHaveLength(laid.length);
  laid.forEach((g, i) => {
    expect(drawn[i]?.x).toBeCloseTo(LEFT + (g.x + g.dx) * SIZE, 2);
    expect(drawn[i]?.y).toBeCloseTo(A4.height - baseline + g.dy * SIZE, 2);
  });
}

interface Part {
  text: string;
  box: NonNullable<DrawnGlyph['box']>;
}

const CONSONANT = /^[\u0E01-\u0E2E]/u;
/** Upper vowels and NIKHAHIT (also as the zero-width first half of SARA AM, when shaping splits it off). */
// eslint-disable-next-line no-misleading-character-class -- Thai marks are listed one by one on purpose
const ABOVE = /[\u0E31\u0E33\u0E34-\u0E37\u0E47\u0E4D]/u;
const TONE = /[\u0E48-\u0E4C]/u;

/** A Thai consonant's glyph with the mark glyphs after it, with what each draws (from the layout) and its box (from the PDF). */
function thaiClusters(laid: PlacedGlyph[], drawn: DrawnGlyph[]): Part[][] {
  const clusters: Part[][] = [];
  laid.forEach((g, i) => {
    const text = String.fromCodePoint(...g.codePoints);
    const box = drawn[i]?.box;
    if (!box) return;
    if (CONSONANT.test(text)) clusters.push([{ text, box }]);
    else if ((ABOVE.test(text) || TONE.test(text)) && g.advance === 0) clusters[clusters.length - 1]?.push({ text, box });
  });
  return clusters;
}

/** No two boxes of the cluster overlap; tone marks are above everything else. Returns 1 if a tone mark sat on an upper vowel. */
function expectStacked(cluster: Part[]): number {
  cluster.forEach((a, i) =>
    cluster.slice(i + 1).forEach((b) => {
      const overlap = a.box.x0 < b.box.x1 && b.box.x0 < a.box.x1 && a.box.y0 < b.box.y1 && b.box.y0 < a.box.y1;
      expect({ pair: `${a.text} ${b.text}`, overlap }).toEqual({ pair: `${a.text} ${b.text}`, overlap: false });
    }),
  );
  const tones = cluster.filter((p) => TONE.test(p.text) && !ABOVE.test(p.text));
  const under = cluster.filter((p) => !TONE.test(p.text));
  for (const tone of tones) for (const other of under) expect(tone.box.y0).toBeGreaterThanOrEqual(other.box.y1);
  return tones.length > 0 && cluster.some((p) => ABOVE.test(p.text)) ? 1 : 0;
}
