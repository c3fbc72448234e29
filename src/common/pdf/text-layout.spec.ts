import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { breakOffsets } from './line-breaks.js';
import { PdfWriter } from './pdf-writer.js';
import { renderA4Pdf } from './render-pdf.js';
import { layoutText, type LayoutOptions } from './text-layout.js';

const MIXED =
  'Somchai สมชาย ใจดี ผู้ป่วยที่ได้รับยาน้ำและมีหนี้สินค้างชำระ was seen with 王秀英, 山田 花子, 김민준 and Иван Петров; Zoë Ñúñez-Łukasiewicz paid ฿1,200 ≈ US$ 36.';
const OPTIONS: LayoutOptions = { face: 'regular', size: 9, width: 120, lineGap: 1.2 };
/** Characters that never start a Thai cluster: vowels and marks that follow a consonant. */
// eslint-disable-next-line no-misleading-character-class -- Thai marks are listed one by one on purpose
const FOLLOWING = /^[\u0E30-\u0E3A\u0E45\u0E47-\u0E4E]/u;

describe('layoutText', () => {
  it('wraps a long mixed-script line within the width, breaking only where a line may break', () => {
    const { lines } = layoutText(MIXED, OPTIONS);
    const breaks = breakOffsets(MIXED);

    expect(lines.length).toBeGreaterThan(4);
    let end = 0;
    lines.forEach((line, i) => {
      expect(line.width).toBeLessThanOrEqual(OPTIONS.width + 1e-6);
      expect(line.text).not.toMatch(FOLLOWING);
      const start = MIXED.indexOf(line.text, end);
      expect(MIXED.slice(end, start)).toMatch(/^\s*$/u); // only the white space a line drops
      if (i > 0) expect(breaks.has(start)).toBe(true);
      end = start + line.text.length;
    });
    expect(end).toBe(MIXED.length);
  });

  it('cuts a word wider than the line between clusters, never inside one', () => {
    const { lines } = layoutText('ลิ้นลิ้นลิ้นลิ้นลิ้นลิ้น', { ...OPTIONS, width: 12 });

    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.text).toMatch(/^(ลิ้|น)+$/u);
    expect(lines.map((line) => line.text).join('')).toBe('ลิ้นลิ้นลิ้นลิ้นลิ้นลิ้น');
  });

  it('gives Thai lines room for stacked marks, keeps explicit line breaks, and starts every block on one baseline', () => {
    const latin = layoutText('Somchai', OPTIONS);
    const thai = layoutText('ที่ ลิ้น หนี้', OPTIONS);
    const two = layoutText('Somchai\nที่ ลิ้น หนี้', OPTIONS);
    const [, second] = two.lines;

    expect(two.lines.map((line) => line.text)).toEqual(['Somchai', 'ที่ ลิ้น หนี้']);
    expect((second?.ascent ?? 0) + (second?.descent ?? 0)).toBeCloseTo(1.6 * OPTIONS.size, 6); // tone 1.25 em up + vowel 0.35 em down
    expect(thai.height).toBeGreaterThan(latin.height);
    // Side by side at one y (a bullet and its item, a table row), the first baselines agree.
    expect(thai.lines[0]?.ascent).toBe(latin.lines[0]?.ascent);
    expect(layoutText('王秀英', OPTIONS).lines[0]?.ascent).toBe(latin.lines[0]?.ascent);
  });

  it('reports how far a first line reaches above its block, for text stacked under other text', () => {
    // Thai: its line box (1.15 em) over the Latin ascent it is set on (0.8 em); a later Thai line adds nothing.
    expect(layoutText('Somchai', OPTIONS).above).toBe(0);
    expect(layoutText('ที่ ลิ้น หนี้', OPTIONS).above).toBeCloseTo(0.35 * OPTIONS.size, 6);
    expect(layoutText('Somchai สมชาย', OPTIONS).above).toBeCloseTo(0.35 * OPTIONS.size, 6);
    expect(layoutText('Somchai\nที่ ลิ้น หนี้', OPTIONS).above).toBe(0);
  });

  it('puts text below other text lowered by that reach, or by the room given, and counts it in the height', async () => {
    const used: number[] = [];
    await renderA4Pdf({ left: 40, right: 555, top: 40, contentBottom: 800 }, () => ({}), (doc) => {
      const writer = new PdfWriter(doc, { left: 40, right: 555, lineGap: 1.2 });
      used.push(writer.putBelow('ที่ ลิ้น', 40, 40, 140, { size: 9 }), writer.putBelow('Somchai', 40, 80, 140, { size: 9 }), writer.putBelow('Somchai', 40, 120, 140, { size: 9 }, 3));
    });
    const latin = layoutText('Somchai', OPTIONS).height;

    expect(used[0]).toBeCloseTo(layoutText('ที่ ลิ้น', OPTIONS).height + 0.35 * 9, 6);
    expect(used[1]).toBe(latin);
    expect(used[2]).toBeCloseTo(latin + 3, 6);
  });

  it('measures exactly the height that put uses, in every face and alignment', async () => {
    const heights: Array<[number, number]> = [];
    await renderA4Pdf({ left: 40, right: 555, top: 40, contentBottom: 800 }, () => ({}), (doc) => {
      const writer = new PdfWriter(doc, { left: 40, right: 555, lineGap: 1.2 });
      for (const font of ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique']) {
        for (const align of ['left', 'right', 'center'] as const) {
          const style = { font, size: 8, align };
          heights.push([writer.measure(MIXED, 140, style), writer.put(MIXED, 40, 40, 140, style)]);
        }
      }
    });

    for (const [measured, put] of heights) expect(put).toBe(measured);
  });

  it('lays out any mix of scripts, stray marks and symbols without failing, within the width', () => {
    const pieces = [...'กขคงจฉชซญฐณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาำเแโใไๅ๐๙', ...'\u0E31\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D\u0E4E'];
    const others = ['王', '秀', '英', '山', 'の', 'カ', '김', '민', 'И', 'ё', 'Ł', 'ñ', 'e\u0301', 'A', '1', ' ', '  ', '-', '/', '(', ')', '。', '฿', '≈', '→', '😀', 'ع', '\u200D', '\uFE0F', '\t', '\n', '𠮷'];
    const text = fc.array(fc.constantFrom(...pieces, ...others), { maxLength: 60 }).map((parts) => parts.join(''));
    const face = fc.constantFrom('regular' as const, 'bold' as const, 'italic' as const);
    const width = fc.integer({ min: 8, max: 300 });

    fc.assert(
      fc.property(text, face, width, (sample, f, w) => {
        const block = layoutText(sample, { face: f, size: 9, width: w, lineGap: 1 });
        for (const line of block.lines) expect(line.width <= w + 1e-6 || Array.from(new Intl.Segmenter().segment(line.text)).length === 1).toBe(true);
        expect(block.height).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
