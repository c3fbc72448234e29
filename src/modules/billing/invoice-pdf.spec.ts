import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { drawnGlyphs, overlapsBetweenLines } from '../../../test/support/pdf-glyphs.js';
import { extractPdfText } from '../../../test/support/pdf-text.js';
import { formatThb, formatUsd } from './invoice-pdf-format.js';
import type { InvoicePdfLine, InvoicePdfModel } from './invoice-pdf-model.js';
import { renderInvoicePdf } from './invoice-pdf.js';

const INCLUDED_SERVICES = [
  'Private room with en-suite bathroom',
  'Meals and snacks, three meals a day',
  'Housekeeping and laundry',
  'Individual therapy sessions',
  'Group therapy sessions',
  "Visiting psychiatrist's intake assessment",
  'Psychiatric routine progress checks (4 of 4 included)',
  'Yoga classes',
  'Fitness sessions and pool',
  'Weekly excursions',
  '24-hour nursing care and medication supervision',
  'Two months of structured aftercare',
];

const EXTRAS: InvoicePdfLine[] = [
  { kind: 'CHARGE', serviceDate: '2027-01-05', description: 'Oxycodone 5 mg tablet (taper medication)', quantity: 56, unitPriceMinor: 2_500, amountMinor: 140_000 },
  { kind: 'CHARGE', serviceDate: '2027-01-19', description: 'Psychiatric consultation beyond the included quota', quantity: 1, unitPriceMinor: 450_000, amountMinor: 450_000 },
  { kind: 'CHARGE', serviceDate: '2027-01-28', description: 'Flight Chiang Mai to Bangkok for a hospital appointment (pass-through)', quantity: 1, unitPriceMinor: 385_000, amountMinor: 385_000 },
];

function realisticModel(): InvoicePdfModel {
  return {
    clinic: {
      name: 'Mae Rim Recovery Clinic',
      address: ['88/8 Moo 3, Rim Tai, Mae Rim', 'Chiang Mai 50180, Thailand'],
      phone: '+66 53 000 123',
      email: 'billing@maerim-recovery.example',
      taxId: '0505561000017',
    },
    invoice: { number: 'INV-2027-000001', status: 'ISSUED', issuedOn: '2027-02-03', periodStart: '2027-01-04', periodEnd: '2027-02-02', days: 30, currency: 'THB' },
    patient: { name: 'Margaret Ellen Whitfield', hn: 'HN-000731', dateOfBirth: '1968-03-12', admissionId: '3f6c1a52-8b1e-4d7a-9c0e-5a2b7d9e1f40', admittedOn: '2027-01-04' },
    lines: [
      { kind: 'RESIDENTIAL_FEE', serviceDate: null, description: 'Residential programme, 30 days (THB 280,000.00 per 30 days)', quantity: 30, unitPriceMinor: null, amountMinor: 28_000_000 },
      ...EXTRAS,
      ...INCLUDED_SERVICES.map((description): InvoicePdfLine => ({ kind: 'INCLUDED', description, quantity: 1, unitPriceMinor: 0, amountMinor: 0 })),
    ],
    totals: { totalMinor: 28_975_000, paidMinor: 15_000_000, balanceMinor: 13_975_000 },
    usd: { thbPerUsd: 33 },
    payments: [{ receivedOn: '2027-01-04', method: 'BANK_TRANSFER', amountMinor: 15_000_000, reference: 'Deposit on admission' }],
  };
}

/** Recomputes the totals after a test changed the lines, as the billing service would. */
function withTotals(model: InvoicePdfModel): InvoicePdfModel {
  const totalMinor = model.lines.reduce((sum, line) => sum + line.amountMinor, 0);
  return { ...model, totals: { ...model.totals, totalMinor, balanceMinor: totalMinor - model.totals.paidMinor } };
}

/**
 * The PDF's text with runs of whitespace collapsed, so wrapped phrases can be found. With
 * INVOICE_PDF_SAMPLES=/tmp the PDF is also saved as /tmp/invoice-<sample>.pdf to look at.
 */
async function renderText(model: InvoicePdfModel, sample?: string): Promise<{ pdf: Buffer; text: string }> {
  const pdf = await renderInvoicePdf(model);
  const dir = process.env.INVOICE_PDF_SAMPLES;
  if (dir && sample) writeFileSync(path.join(dir, `invoice-${sample}.pdf`), pdf);
  return { pdf, text: extractPdfText(pdf).replace(/\s+/g, ' ') };
}

describe('renderInvoicePdf', () => {
  it('renders an issued invoice a family can read', async () => {
    const { pdf, text } = await renderText(realisticModel(), 'sample');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const phrase of [
      'Mae Rim Recovery Clinic',
      'Invoice INV-2027-000001',
      'Margaret Ellen Whitfield Hospital number: HN-000731 Date of birth: 12 Mar 1968',
      '4 Jan 2027 – 2 Feb 2027 (30 days)',
      'Residential programme fee',
      'Extras billed separately',
      'Included in the fee (no charge)',
      'THB 280,000.00',
      'Total THB 289,750.00 approx. US$ 8,780.30',
      'Paid THB 150,000.00 approx. US$ 4,545.45',
      'Balance due THB 139,750.00 approx. US$ 4,234.85',
      'US$ at 33.00 THB per US$',
      'Payments received',
      'How to pay',
      'Page 1 of 2',
    ]) {
      expect(text).toContain(phrase);
    }
    for (const line of realisticModel().lines) expect(text).toContain(line.description);
  });

  it('says the clinic contact is not configured rather than print "Call  or email ."', async () => {
    const model = { ...realisticModel(), clinic: { name: '', address: [], phone: '', email: '' } };
    const { text } = await renderText(model, 'no-contact');
    expect(text).toContain('Clinic (clinic contact not configured)');
    expect(text).toContain('Questions about this invoice? Contact the clinic (clinic contact not configured).');
    expect(text).not.toContain('Call  or');
    expect(text).not.toMatch(/Tel (Tax|Clinic|$)/);
  });

  it('shows the extras with date, quantity, unit price and amount on one row', async () => {
    const { text } = await renderText(realisticModel());

    expect(text).toContain('5 Jan 2027 Oxycodone 5 mg tablet (taper medication) 56 THB 25.00 THB 1,400.00');
    expect(text).toContain('Subtotal: extras billed separately THB 9,750.00');
  });

  it('prints an explicit "None" when nothing was billed separately', async () => {
    const model = realisticModel();
    model.lines = model.lines.filter((line) => line.kind !== 'CHARGE');

    const { text } = await renderText(withTotals(model), 'no-extras');

    expect(text).toMatch(/Extras billed separately .* None/);
  });

  it('marks a draft as not a bill and prints no invoice number', async () => {
    const model = realisticModel();
    model.invoice = { ...model.invoice, number: null, status: 'DRAFT', issuedOn: null };

    const { text } = await renderText(model, 'draft');

    expect(text).toContain('DRAFT — not a bill');
    expect(text).toContain('please do not pay');
    expect(text).not.toContain('INV-');
    expect(text).not.toContain('Balance due');
  });

  it('marks a void invoice with its reason', async () => {
    const model = realisticModel();
    model.invoice = { ...model.invoice, status: 'VOID', voidReason: 'Issued for the wrong period; replaced by a corrected invoice' };
    model.totals.balanceMinor = 0; // nothing is payable on a void invoice

    const { text } = await renderText(model, 'void');

    expect(text).toContain('VOID — this invoice has been cancelled');
    expect(text).toContain('Balance (void) THB 0.00');
    expect(text).toContain('Reason: Issued for the wrong period; replaced by a corrected invoice');
    expect(text).toContain('INV-2027-000001');
  });

  it('flows 60 extras over several pages, repeating the table header and numbering the pages', async () => {
    const model = realisticModel();
    const extras = Array.from({ length: 60 }, (_, i): InvoicePdfLine => ({
      kind: 'CHARGE',
      serviceDate: `2027-01-${String((i % 28) + 4).padStart(2, '0')}`,
      description: `Paracetamol 500 mg tablet, dispensing round ${i + 1}`,
      quantity: 2,
      unitPriceMinor: 500,
      amountMinor: 1_000,
    }));
    model.lines = [...model.lines.filter((line) => line.kind !== 'CHARGE'), ...extras];

    const { text } = await renderText(withTotals(model), 'many-extras');

    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Extras billed separately (continued)');
    expect(text.match(/Date Description Qty Unit price Amount/g)?.length).toBeGreaterThanOrEqual(4);
    for (const extra of extras) expect(text).toContain(`${extra.description} 2 THB 5.00 THB 10.00`);
  });

  it('wraps a long description instead of overflowing', async () => {
    const model = realisticModel();
    const description = `Transport and accompanying nurse to the partner hospital for a detox consultation, ${'including waiting time and return journey, '.repeat(3)}invoiced at cost`;
    model.lines.push({ kind: 'CHARGE', serviceDate: '2027-01-30', description, quantity: 1, unitPriceMinor: 600_000, amountMinor: 600_000 });

    const { text } = await renderText(withTotals(model), 'long-description');

    expect(text).toContain(description.replace(/\s+/g, ' ').trim());
  });

  it.each([
    ['Somchai สมชาย ใจดี', 'thai'],
    ['王秀英', 'chinese'],
    ['김민준', 'korean'],
  ])('prints the name %s, Thai words and "฿" as written, never as "?"', async (name, sample) => {
    const model = realisticModel();
    model.patient.name = name;
    model.lines.push({ kind: 'CHARGE', serviceDate: '2027-01-30', description: 'Massage ฿1,200 session (น้ำ ที่ ลิ้น หนี้)', quantity: 1, unitPriceMinor: 120_000, amountMinor: 120_000 });

    const { text } = await renderText(withTotals(model), sample);

    expect(text).toContain(`BILLED TO ${name} Hospital number: HN-000731 Date of birth`);
    expect(text).toContain('Massage ฿1,200 session (น้ำ ที่ ลิ้น หนี้)');
    expect(text).not.toContain('?'.repeat(2));
  });

  it('gives the Thai marks of a name room under the caption above it: no glyph of one line comes within 1.5 points of another line', async () => {
    /** Points between the ink of two lines, at least: marks that touch the caption read as overlapping. */
    const CLEARANCE = 1.5;
    const model = realisticModel();
    model.patient.name = 'น้ำ หนี้ลิ้นที่';
    model.lines.push({ kind: 'CHARGE', serviceDate: '2027-01-30', description: 'นวดแผนไทย ที่ลิ้นจี่ (น้ำมัน)', quantity: 1, unitPriceMinor: 120_000, amountMinor: 120_000 });

    const { pdf, text } = await renderText(withTotals(model), 'thai-name');

    expect(text).toContain('BILLED TO น้ำ หนี้ลิ้นที่ Hospital number: HN-000731');
    expect(overlapsBetweenLines(drawnGlyphs(pdf), CLEARANCE).map(([a, b]) => `${a.size} pt at y ${a.y} and ${b.size} pt at y ${b.y}`)).toEqual([]);
  });

  it('a supplementary invoice of charges alone shows the charges, without a fee section or the services a fee includes', async () => {
    const model = realisticModel();
    model.patient.name = 'Somchai สมชาย ใจดี';
    model.invoice = { ...model.invoice, number: 'INV-2027-000002', periodStart: '2027-02-20', periodEnd: '2027-02-20', days: 1 };
    model.lines = [{ kind: 'CHARGE', serviceDate: '2027-02-20', description: 'Flight Chiang Mai to Frankfurt (pass-through)', quantity: 1, unitPriceMinor: 3_456_700, amountMinor: 3_456_700 }];
    model.payments = [];
    const { text } = await renderText(withTotals({ ...model, totals: { totalMinor: 0, paidMinor: 0, balanceMinor: 0 } }), 'charges-only');

    expect(text).toContain('Extras billed separately');
    expect(text).toContain('Flight Chiang Mai to Frankfurt (pass-through)');
    expect(text).not.toContain('Residential programme fee');
    expect(text).not.toContain('Included in the fee');
    expect(text).toContain('BILLED TO Somchai สมชาย ใจดี');
    expect(text).toContain('CHARGES DATED 20 Feb 2027 – 20 Feb 2027');
    expect(text).not.toContain('PERIOD OF CARE');
  });

  it('prints a voided payment apart, marked void with its reason, and leaves it out of the amount paid', async () => {
    const model = realisticModel();
    model.patient.name = 'Somchai สมชาย ใจดี';
    model.payments = [
      { receivedOn: '2027-01-04', method: 'TRANSFER', amountMinor: 15_000_000, reference: 'KBank 0104-5521' },
      { receivedOn: '2027-01-04', method: 'TRANSFER', amountMinor: 15_000_000, reference: 'KBank 0104-5521', voidedOn: '2027-01-06', voidReason: 'Entered twice; the bank shows one transfer.' },
    ];

    const { text } = await renderText(model, 'voided-payment');

    expect(text).toContain('BILLED TO Somchai สมชาย ใจดี');
    expect(text).toContain('Paid THB 150,000.00');
    expect(text).toContain('Balance due THB 139,750.00');
    expect(text).toContain('Payments received Date Method Reference Amount 4 Jan 2027 Transfer KBank 0104-5521 THB 150,000.00 Payments voided (not counted)');
    expect(text).toContain('4 Jan 2027 Transfer KBank 0104-5521 – VOID 6 Jan 2027: Entered twice; the bank shows one transfer. THB 150,000.00 (void)');
    // Counting the void one as paid is refused.
    await expect(renderInvoicePdf({ ...model, totals: { totalMinor: 28_975_000, paidMinor: 30_000_000, balanceMinor: -1_025_000 } })).rejects.toThrow('Invoice totals do not add up');
  });

  it('prints no voided-payments table when none was voided', async () => {
    const { text } = await renderText(realisticModel());
    expect(text).not.toContain('voided');
  });

  it('is deterministic: the same model gives the same bytes', async () => {
    const [first, second] = await Promise.all([renderInvoicePdf(realisticModel()), renderInvoicePdf(realisticModel())]);

    expect(first.equals(second)).toBe(true);
  });

  it('refuses money that is not a whole number of satang', async () => {
    const model = realisticModel();
    model.lines[1] = { ...(model.lines[1] as InvoicePdfLine), amountMinor: 140_000.5 };

    await expect(renderInvoicePdf(withTotals(model))).rejects.toThrow('whole number of minor units');
  });

  it('refuses totals that do not add up to the lines', async () => {
    const model = realisticModel();
    model.lines.push({ kind: 'CHARGE', serviceDate: '2027-01-30', description: 'Massage', quantity: 1, unitPriceMinor: 120_000, amountMinor: 120_000 });

    await expect(renderInvoicePdf(model)).rejects.toThrow('Invoice totals do not add up');
    await expect(renderInvoicePdf({ ...realisticModel(), totals: { totalMinor: 28_975_000, paidMinor: 0, balanceMinor: 13_975_000 } })).rejects.toThrow(RangeError);
  });
});

describe('formatThb', () => {
  it.each([
    [0, 'THB 0.00'],
    [1, 'THB 0.01'],
    [99, 'THB 0.99'],
    [100, 'THB 1.00'],
    [123_456_789, 'THB 1,234,567.89'],
    [28_000_000, 'THB 280,000.00'],
    [42_000_000, 'THB 420,000.00'],
    [Number.MAX_SAFE_INTEGER, 'THB 90,071,992,547,409.91'],
    [-1_234, '-THB 12.34'],
  ])('%p satang → %p', (minor, expected) => {
    expect(formatThb(minor)).toBe(expected);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %p', (minor) => {
    expect(() => formatThb(minor)).toThrow(RangeError);
  });
});

describe('formatUsd', () => {
  it.each([
    [28_000_000, 33, 'US$ 8,484.85'],
    [0, 33, 'US$ 0.00'],
    [16, 33, 'US$ 0.00'], // 0.48 cent rounds down
    [17, 33, 'US$ 0.01'], // 0.52 cent rounds up
    [1, 2, 'US$ 0.01'], // exactly half a cent rounds up
    [3, 2, 'US$ 0.02'],
    [-1, 2, '-US$ 0.01'],
    [-16, 33, 'US$ 0.00'],
    [100_000, 35.47, 'US$ 28.19'],
    [123_456_789, 32.5, 'US$ 37,986.70'],
  ])('%p satang at %p THB per US$ → %p', (minor, rate, expected) => {
    expect(formatUsd(minor, rate)).toBe(expected);
  });

  it.each([0, -33, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %p', (rate) => {
    expect(() => formatUsd(100, rate)).toThrow(RangeError);
  });
});
