import { describe, expect, it } from '@jest/globals';
import { drawMmePainChart, type MmePainChartData } from './chart.js';

/** The colour of the MME line and its axis (chart.ts). */
const MME_COLOUR = '#1d4e6b';

/** A stand-in for a pdfkit document that records every call: what the chart draws, without a PDF. */
function recordingDoc(): { doc: PDFKit.PDFDocument; calls: { name: string; args: unknown[] }[] } {
  const calls: { name: string; args: unknown[] }[] = [];
  const doc: PDFKit.PDFDocument = new Proxy({} as PDFKit.PDFDocument, {
    get: (_, name) => (name === 'widthOfString' ? () => 40 : (...args: unknown[]) => (calls.push({ name: String(name), args }), doc)),
  });
  return { doc, calls };
}

const data: MmePainChartData = {
  firstDay: '2027-01-04',
  lastDay: '2027-01-10',
  mme: ['04', '05', '06', '07', '08', '09', '10'].map((d) => ({ date: `2027-01-${d}`, mme: 0 })),
  pain: [{ date: '2027-01-05', dayFraction: 0.3, score: 6 }],
  pauses: [],
};

describe('drawMmePainChart', () => {
  it('draws the daily MME as a line in its colour, with its axis and legend entry', () => {
    const { doc, calls } = recordingDoc();
    drawMmePainChart(doc, { x: 42, y: 100, width: 511, height: 230 }, data);

    expect(calls.some((c) => c.name === 'strokeColor' && c.args[0] === MME_COLOUR)).toBe(true);
    expect(calls.filter((c) => c.name === 'text').map((c) => c.args[0])).toEqual(expect.arrayContaining(['Total daily MME', 'Total daily MME, all opioids (left axis)']));
  });

  it('where MME does not apply (buprenorphine alone) draws no MME line at 0 and no MME axis, says why in the legend, and keeps the pain scores', () => {
    const { doc, calls } = recordingDoc();
    drawMmePainChart(doc, { x: 42, y: 100, width: 511, height: 230 }, { ...data, mmeNotApplicable: 'No MME line: MME does not apply to buprenorphine' });
    const texts = calls.filter((c) => c.name === 'text').map((c) => c.args[0]);

    expect(calls.filter((c) => c.name === 'strokeColor' && c.args[0] === MME_COLOUR)).toEqual([]);
    expect(texts).toContain('No MME line: MME does not apply to buprenorphine');
    expect(texts).not.toContain('Total daily MME');
    expect(texts).not.toContain('Total daily MME, all opioids (left axis)');
    expect(texts).toContain('Pain score (right axis)');
    expect(calls.filter((c) => c.name === 'circle')).toHaveLength(2); // the score and the legend's mark
  });
});
