import { describe, expect, it } from '@jest/globals';
import { breakOffsets } from './line-breaks.js';
import { fontClusters } from './script-runs.js';
import { prepareThai } from './thai-shaping.js';

/** "text:font" for each run of clusters in one font. */
function runsOf(text: string, face: 'regular' | 'bold' = 'regular'): string[] {
  const runs: string[] = [];
  let last = '';
  for (const c of fontClusters(text, face)) {
    if (c.font === last) runs[runs.length - 1] += c.text;
    else runs.push(c.text);
    if (c.font !== last) runs[runs.length - 1] = `${c.font}|${runs[runs.length - 1]}`;
    last = c.font;
  }
  return runs.map((run) => run.replace(/^([^|]+)\|(.*)$/su, '$2:$1'));
}

describe('fontClusters', () => {
  it('keeps a Thai consonant with its vowel and tone marks in one cluster', () => {
    expect(fontClusters('น้ำ ที่ ลิ้น หนี้', 'regular').map((c) => c.text)).toEqual(['น้ำ', ' ', 'ที่', ' ', 'ลิ้', 'น', ' ', 'ห', 'นี้']);
  });

  it('draws a name of one script in one font, spaces and punctuation joining it', () => {
    expect(runsOf('Somchai สมชาย ใจดี')).toEqual(['Somchai สมชาย ใจดี:sarabun-regular']);
    expect(runsOf('Zoë Ñúñez-Łukasiewicz')).toEqual(['Zoë Ñúñez-Łukasiewicz:sarabun-regular']);
    expect(runsOf('Иван Петров')).toEqual(['Иван Петров:noto-sans-regular']);
    expect(runsOf('山田 花子')).toEqual(['山田 花子:noto-sans-sc-regular']);
    expect(runsOf('김민준', 'bold')).toEqual(['김민준:nanum-gothic-bold']);
  });

  it('falls back by script within a line; a space between two scripts takes the first font', () => {
    expect(runsOf('王秀英 (Wang Xiuying) ฿1,200 ≈ US$ 36')).toEqual(['王秀英:noto-sans-sc-regular', ' (Wang Xiuying) ฿1,200 ≈ US$ 36:sarabun-regular']);
    expect(runsOf('Patient: Иван, 김민준')).toEqual(['Patient: :sarabun-regular', 'Иван:noto-sans-regular', ', :sarabun-regular', '김민준:nanum-gothic-regular']);
  });

  it('leaves a character to the next font when fontkit cannot read the glyph a font maps it to', () => {
    // Nanum Gothic maps the space to a glyph past the end of its tables.
    expect(runsOf('민준 김')).toEqual(['민준:nanum-gothic-regular', ' :sarabun-regular', '김:nanum-gothic-regular']);
  });

  it('keeps the text as written and shapes its canonical composition', () => {
    const [cluster] = fontClusters('e\u0308', 'regular');
    expect(cluster).toMatchObject({ text: 'e\u0308', shaped: 'ë', font: 'sarabun-regular' });
  });
});

describe('prepareThai', () => {
  it('splits SARA AM and puts the NIKHAHIT before the tone mark, as HarfBuzz does', () => {
    expect(prepareThai('น้ำ')).toBe('น\u0E4D\u0E49\u0E32');
    expect(prepareThai('ทำ')).toBe('ท\u0E4D\u0E32');
    expect(prepareThai('ที่ ลิ้น หนี้')).toBe('ที่ ลิ้น หนี้');
  });
});

describe('breakOffsets', () => {
  it('breaks after spaces, between Thai words, between CJK characters and after a hyphen', () => {
    const at = (text: string): string[] => [...breakOffsets(text)].map((i) => text.slice(i));
    expect(at('Somchai สมชาย ใจดี')).toEqual(['สมชาย ใจดี', 'ใจดี']);
    expect(at('ผู้ป่วยได้รับยา')).toEqual(['ป่วยได้รับยา', 'ได้รับยา', 'รับยา', 'ยา']); // ผู้|ป่วย|ได้|รับ|ยา (ICU's dictionary)
    expect(at('王秀英。')).toEqual(['秀英。', '英。']);
    expect(at('Ñúñez-Łukasiewicz')).toEqual(['Łukasiewicz']);
  });
});
