/**
 * The invoice as a PDF a patient's family can read: pure rendering of a view model (no Nest, no
 * database, no clock), so the same model always gives the same bytes.
 *
 * pdfkit's standard fonts (Helvetica) only draw the WinAnsi character set: no "฿", no "≈", no
 * Thai script. Amounts are therefore written "THB …" and "approx. US$ …", and any other
 * character outside WinAnsi is printed as "?" rather than corrupting the text stream — callers
 * should pass the Latin-script (passport) spelling of names.
 */
import PDFDocument from 'pdfkit';

export interface InvoicePdfModel {
  clinic: { name: string; address: string[]; phone: string; email: string; taxId?: string };
  invoice: {
    /** Null for a draft, which prints "DRAFT — not a bill" prominently. */
    number: string | null;
    status: 'DRAFT' | 'ISSUED' | 'PAID' | 'VOID';
    issuedOn: string | null;
    periodStart: string;
    periodEnd: string;
    days: number;
    currency: 'THB';
    voidReason?: string | null;
  };
  patient: { name: string; dateOfBirth: string; admissionId: string; admittedOn: string };
  lines: InvoicePdfLine[];
  totals: { totalMinor: number; paidMinor: number; balanceMinor: number };
  /** The configured rate; `asOf` (YYYY-MM-DD) is the date it applies from, stated on the PDF. */
  usd: { thbPerUsd: number; asOf?: string | null };
  payments: { receivedOn: string; method: string; amountMinor: number; reference?: string | null }[];
}

export interface InvoicePdfLine {
  kind: 'RESIDENTIAL_FEE' | 'CHARGE' | 'INCLUDED';
  description: string;
  serviceDate?: string | null;
  quantity: number;
  unitPriceMinor: number | null;
  amountMinor: number;
}

// ---------------------------------------------------------------------------------------------
// Formatting (integer money only)

/** 28000000 → "THB 280,000.00"; negative amounts (credits) → "-THB 12.34". */
export function formatThb(minor: number): string {
  assertMinorUnits(minor);
  const abs = Math.abs(minor);
  const satang = abs % 100;
  const baht = (abs - satang) / 100; // exact: an integer multiple of 100 divided by 100
  return `${minor < 0 ? '-' : ''}THB ${groupThousands(String(baht))}.${String(satang).padStart(2, '0')}`;
}

/** THB satang → "US$ 8,484.85" at a THB-per-US$ rate, rounded half away from zero to the cent. */
export function formatUsd(minor: number, thbPerUsd: number): string {
  assertMinorUnits(minor);
  if (!Number.isFinite(thbPerUsd) || thbPerUsd <= 0) throw new RangeError(`THB per US$ must be positive, got ${thbPerUsd}`);
  // US cents = satang / rate. The rate is scaled to an integer (6 decimals) so the money
  // arithmetic itself stays in integers (BigInt, no overflow for any safe-integer amount).
  const scale = 1_000_000n;
  const rate = BigInt(Math.round(thbPerUsd * 1_000_000));
  const numerator = BigInt(Math.abs(minor)) * scale;
  const cents = numerator / rate + ((numerator % rate) * 2n >= rate ? 1n : 0n);
  const dollars = groupThousands((cents / 100n).toString());
  const sign = minor < 0 && cents > 0n ? '-' : '';
  return `${sign}US$ ${dollars}.${(cents % 100n).toString().padStart(2, '0')}`;
}

function assertMinorUnits(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be a whole number of minor units, got ${minor}`);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2027-01-04" (or an ISO instant starting so) → "4 Jan 2027"; anything else is shown as given. */
function formatDate(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!match) return iso ?? '';
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

function formatPeriod(invoice: InvoicePdfModel['invoice']): string {
  const days = `${invoice.days} ${invoice.days === 1 ? 'day' : 'days'}`;
  return `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)} (${days})`;
}

function formatRate(thbPerUsd: number): string {
  return thbPerUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
}

function formatQuantity(quantity: number): string {
  return quantity.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The extra characters WinAnsi has beyond Latin-1 (curly quotes, dashes, €, …). */
const WIN_ANSI_EXTRAS = new Set(
  [338, 339, 352, 353, 376, 381, 382, 402, 710, 732, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222]
    .concat([8224, 8225, 8226, 8230, 8240, 8249, 8250, 8364, 8482])
    .map((code) => String.fromCodePoint(code)),
);

/** Text the standard fonts can draw: one line, "฿" spelled THB, anything else unknown as "?". */
function pdfSafe(text: string): string {
  const oneLine = text.replace(/฿\s*/g, 'THB ').replace(/\s+/g, ' ').trim();
  return Array.from(oneLine, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    const drawable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch);
    return drawable ? ch : '?';
  }).join('');
}

// ---------------------------------------------------------------------------------------------
// Layout

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 50;
const RIGHT = A4.width - 50;
const WIDTH = RIGHT - LEFT;
const TOP = 48;
const CONTENT_BOTTOM = A4.height - 72; // the page footer lives below this
const LINE_GAP = 1.5;
const CELL_PAD = 4;
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const COLOR = {
  text: '#1f2933',
  muted: '#5f6b7a',
  accent: '#1d4e6b',
  rule: '#c9d2db',
  band: '#edf2f6',
  highlight: '#e3eef5',
};

interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  align?: 'left' | 'right' | 'center';
}

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

type RowStyle = 'normal' | 'subtotal' | 'empty';
interface Row {
  cells: string[];
  style?: RowStyle;
}

/** Columns laid out left to right with a gap; the one with width 0 takes what is left. */
function columns(spec: Column[], gap = 8): (Column & { x: number })[] {
  const fixed = spec.reduce((sum, c) => sum + c.width, 0) + gap * (spec.length - 1);
  let x = LEFT;
  return spec.map((c) => {
    const width = c.width || WIDTH - fixed;
    const placed = { ...c, width, x };
    x += width + gap;
    return placed;
  });
}

const LINE_COLUMNS = columns([
  { title: 'Date', width: 56, align: 'left' },
  { title: 'Description', width: 0, align: 'left' },
  { title: 'Qty', width: 30, align: 'right' },
  { title: 'Unit price', width: 74, align: 'right' },
  { title: 'Amount', width: 84, align: 'right' },
]);

/** Included services have no date or price; Qty and Amount stay aligned with the tables above. */
const INCLUDED_COLUMNS = columns([
  { title: 'Service', width: 0, align: 'left' },
  { title: 'Qty', width: 30, align: 'right' },
  { title: '', width: 74, align: 'right' },
  { title: 'Amount', width: 84, align: 'right' },
]);

const PAYMENT_COLUMNS = columns([
  { title: 'Date', width: 58, align: 'left' },
  { title: 'Method', width: 120, align: 'left' },
  { title: 'Reference', width: 0, align: 'left' },
  { title: 'Amount', width: 84, align: 'right' },
]);

const SECTIONS: { kind: InvoicePdfLine['kind']; title: string; intro: string; empty: string }[] = [
  {
    kind: 'RESIDENTIAL_FEE',
    title: 'Residential programme fee',
    intro: 'The all-inclusive fee for the stay, charged per day of the period.',
    empty: 'None',
  },
  {
    kind: 'CHARGE',
    title: 'Extras billed separately',
    intro: 'Items outside the fee: prescribed medication, consultations beyond those included, hospital visits, flights and the like.',
    empty: 'None – nothing outside the fee was billed for this period.',
  },
  {
    kind: 'INCLUDED',
    title: 'Included in the fee (no charge)',
    intro: 'Services covered by the residential fee, listed so you can see what it pays for. Nothing is charged for them.',
    empty: 'None',
  },
];

export function renderInvoicePdf(model: InvoicePdfModel): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: TOP, bottom: A4.height - CONTENT_BOTTOM, left: LEFT, right: A4.width - RIGHT },
      bufferPages: true, // page numbers ("Page 1 of 3") are written once the page count is known
      info: documentInfo(model),
      font: FONT.regular,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      assertTotalsAddUp(model);
      new InvoiceDrawing(doc, model).draw();
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * A document a family pays from must add up: refuse one whose lines and totals disagree. A void
 * invoice may show a balance of zero, since nothing is payable on it.
 */
function assertTotalsAddUp({ lines, totals, invoice }: InvoicePdfModel): void {
  const sum = lines.reduce((total, line) => total + line.amountMinor, 0);
  const voidAndZero = invoice.status === 'VOID' && totals.balanceMinor === 0;
  if (sum !== totals.totalMinor || (totals.totalMinor - totals.paidMinor !== totals.balanceMinor && !voidAndZero)) {
    throw new RangeError(
      `Invoice totals do not add up: lines ${sum}, total ${totals.totalMinor}, paid ${totals.paidMinor}, balance ${totals.balanceMinor}`,
    );
  }
}

function invoiceLabel(invoice: InvoicePdfModel['invoice']): string {
  return invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice';
}

/** Metadata, dated from the model (never the clock) so rendering is deterministic. */
function documentInfo(model: InvoicePdfModel): PDFKit.DocumentInfo {
  const day = [model.usd.asOf, model.invoice.issuedOn, model.invoice.periodEnd]
    .map((value) => /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? ''))
    .find((match) => match !== null);
  const created = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : new Date(0);
  return {
    Title: pdfSafe(`${invoiceLabel(model.invoice)} - ${model.clinic.name}`),
    Author: pdfSafe(model.clinic.name),
    Subject: pdfSafe(`Invoice for ${formatPeriod(model.invoice)}`),
    CreationDate: created,
  };
}

class InvoiceDrawing {
  private y = TOP;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly model: InvoicePdfModel,
  ) {}

  draw(): void {
    this.header();
    this.banner();
    this.parties();
    for (const section of SECTIONS) this.lineSection(section);
    this.totals();
    this.payments();
    this.howToPay();
    this.decoratePages();
  }

  // -- primitives -----------------------------------------------------------------------------

  private style(style: TextStyle): PDFKit.PDFDocument {
    return this.doc.font(style.font ?? FONT.regular).fontSize(style.size ?? 9).fillColor(style.color ?? COLOR.text);
  }

  /** Writes wrapped text in a box of the given width; returns the height used. */
  private put(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    const safe = pdfSafe(text);
    if (safe === '') return 0;
    this.style(style).text(safe, x, y, { width, align: style.align ?? 'left', lineGap: LINE_GAP });
    return this.doc.y - y;
  }

  private measure(text: string, width: number, style: TextStyle = {}): number {
    const safe = pdfSafe(text);
    return safe === '' ? 0 : this.style(style).heightOfString(safe, { width, lineGap: LINE_GAP });
  }

  private rule(y: number, color = COLOR.rule, x1 = LEFT, x2 = RIGHT): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(0.6).strokeColor(color).stroke().restore();
  }

  /** Starts a new page when `height` more points would not fit; true if it did. */
  private ensureSpace(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.doc.addPage();
    this.y = TOP;
    return true;
  }

  // -- header, banner, parties ----------------------------------------------------------------

  private header(): void {
    const { clinic } = this.model;
    const width = WIDTH * 0.55;
    let left = this.y + this.put(clinic.name, LEFT, this.y, width, { font: FONT.bold, size: 16, color: COLOR.accent });
    const contact = [`Tel ${clinic.phone}`, clinic.email, clinic.taxId ? `Tax ID ${clinic.taxId}` : ''];
    left += 3;
    for (const line of [...clinic.address, ...contact]) {
      left += this.put(line, LEFT, left, width, { size: 8.5, color: COLOR.muted });
    }
    const right = this.titleBlock(this.y);
    this.y = Math.max(left, right) + 10;
    this.rule(this.y, COLOR.accent);
    this.y += 14;
  }

  private titleBlock(top: number): number {
    const { invoice } = this.model;
    const width = WIDTH * 0.42;
    const x = RIGHT - width;
    let y = top + this.put(invoiceLabel(invoice), x, top, width, { font: FONT.bold, size: 16, align: 'right' });
    const issued = invoice.issuedOn ? `Issued ${formatDate(invoice.issuedOn)}` : 'Not issued';
    y += 3 + this.put(issued, x, y + 3, width, { size: 9, color: COLOR.muted, align: 'right' });
    const status = { DRAFT: 'Draft – not a bill', ISSUED: 'Issued – payment due', PAID: 'Paid in full', VOID: 'Void (cancelled)' };
    y += this.put(`Status: ${status[invoice.status]}`, x, y, width, { font: FONT.bold, size: 9, align: 'right' });
    return y;
  }

  private banner(): void {
    const spec = bannerSpec(this.model.invoice);
    if (!spec) return;
    const pad = 10;
    const inner = WIDTH - 2 * pad;
    const titleStyle: TextStyle = { font: FONT.bold, size: 14, color: spec.color };
    const titleHeight = this.measure(spec.title, inner, titleStyle);
    const height = pad * 2 + titleHeight + 2 + this.measure(spec.detail, inner, { size: 9.5 });
    this.doc.save().roundedRect(LEFT, this.y, WIDTH, height, 4).lineWidth(1.2).fillAndStroke(spec.fill, spec.color).restore();
    this.put(spec.title, LEFT + pad, this.y + pad, inner, titleStyle);
    this.put(spec.detail, LEFT + pad, this.y + pad + titleHeight + 2, inner, { size: 9.5 });
    this.y += height + 16;
  }

  private parties(): void {
    const { patient, invoice } = this.model;
    const width = WIDTH / 2 - 10;
    const billedTo = this.block(LEFT, 'Billed to', patient.name, [
      `Date of birth: ${formatDate(patient.dateOfBirth)}`,
      `Admission: ${patient.admissionId}`,
      `Admitted: ${formatDate(patient.admittedOn)}`,
    ], width);
    const period = this.block(LEFT + WIDTH / 2 + 10, 'Period of care', formatPeriod(invoice), [
      invoice.number ? `Invoice number: ${invoice.number}` : 'Invoice number: none yet (draft)',
      'Currency: Thai baht (THB)',
    ], width);
    this.y = Math.max(billedTo, period) + 18;
  }

  private block(x: number, label: string, main: string, details: string[], width: number): number {
    let y = this.y + this.put(label.toUpperCase(), x, this.y, width, { font: FONT.bold, size: 7.5, color: COLOR.muted });
    y += 2 + this.put(main, x, y + 2, width, { font: FONT.bold, size: 11 });
    for (const detail of details) y += this.put(detail, x, y + 1, width, { size: 9 }) + 1;
    return y;
  }

  // -- tables -----------------------------------------------------------------------------------

  private lineSection(section: (typeof SECTIONS)[number]): void {
    const lines = this.model.lines.filter((line) => line.kind === section.kind);
    const included = section.kind === 'INCLUDED';
    const rows: Row[] = lines.map((line) => ({ cells: included ? includedCells(line) : lineCells(line) }));
    if (rows.length === 0) rows.push({ cells: included ? [section.empty] : ['', section.empty], style: 'empty' });
    if (!included && lines.length > 1) {
      const subtotal = lines.reduce((sum, line) => sum + line.amountMinor, 0);
      rows.push({ cells: ['', `Subtotal: ${section.title.toLowerCase()}`, '', '', formatThb(subtotal)], style: 'subtotal' });
    }
    this.table(section.title, section.intro, included ? INCLUDED_COLUMNS : LINE_COLUMNS, rows);
  }

  /** A titled table that flows over pages, repeating its title and column header on each. */
  private table(title: string, intro: string, cols: (Column & { x: number })[], rows: Row[]): void {
    const firstRow = rows[0] ? this.rowHeight(cols, rows[0]) : 0;
    this.ensureSpace(this.headingHeight(intro) + 22 + firstRow);
    this.heading(title, intro);
    this.tableHeader(cols);
    rows.forEach((row, i) => {
      const height = this.rowHeight(cols, row);
      // The penultimate row keeps the last one company, so no row (or subtotal) is left alone on a page.
      const next = i === rows.length - 2 && rows.length > 2 ? this.rowHeight(cols, rows[i + 1] as Row) : 0;
      if (this.ensureSpace(height + next)) {
        this.heading(`${title} (continued)`, '');
        this.tableHeader(cols);
      }
      this.row(cols, row, height);
    });
    this.y += 16;
  }

  private headingHeight(intro: string): number {
    return 18 + (intro ? this.measure(intro, WIDTH, { size: 8.5 }) + 4 : 0);
  }

  private heading(title: string, intro: string): void {
    this.y += this.put(title, LEFT, this.y, WIDTH, { font: FONT.bold, size: 12, color: COLOR.accent }) + 2;
    if (intro) this.y += this.put(intro, LEFT, this.y, WIDTH, { size: 8.5, color: COLOR.muted }) + 4;
  }

  private tableHeader(cols: (Column & { x: number })[]): void {
    const height = 16;
    this.doc.save().rect(LEFT, this.y, WIDTH, height).fill(COLOR.band).restore();
    for (const col of cols) {
      this.put(col.title, col.x, this.y + 4.5, col.width, { font: FONT.bold, size: 8, color: COLOR.muted, align: col.align });
    }
    this.y += height + 2;
  }

  private rowStyle(row: Row): TextStyle {
    if (row.style === 'subtotal') return { font: FONT.bold, size: 9 };
    if (row.style === 'empty') return { font: FONT.italic, size: 9, color: COLOR.muted };
    return { size: 9 };
  }

  private rowHeight(cols: (Column & { x: number })[], row: Row): number {
    const style = this.rowStyle(row);
    const heights = cols.map((col, i) => this.measure(row.cells[i] ?? '', col.width, style));
    return Math.max(...heights, 10) + 2 * CELL_PAD;
  }

  private row(cols: (Column & { x: number })[], row: Row, height: number): void {
    const style = this.rowStyle(row);
    if (row.style === 'subtotal') this.rule(this.y, COLOR.text, cols[cols.length - 1]?.x ?? LEFT, RIGHT);
    cols.forEach((col, i) => this.put(row.cells[i] ?? '', col.x, this.y + CELL_PAD, col.width, { ...style, align: col.align }));
    this.y += height;
    if (row.style !== 'subtotal') this.rule(this.y - 0.5);
  }

  // -- totals, payments, how to pay -----------------------------------------------------------

  private totals(): void {
    const { totals, invoice } = this.model;
    this.ensureSpace(150);
    this.heading('Summary', '');
    this.y += 4;
    this.totalRow('Total', totals.totalMinor, false);
    this.totalRow('Paid', totals.paidMinor, false);
    this.totalRow(balanceLabel(invoice.status), totals.balanceMinor, true);
    const note = `US$ at ${formatRate(this.model.usd.thbPerUsd)} THB per US$ (${this.rateBasis()}), for information only. Please pay in Thai baht (THB).`;
    this.y += 6 + this.put(note, RIGHT - 310, this.y + 6, 310, { size: 8, color: COLOR.muted, align: 'right' });
    this.y += 18;
  }

  private rateBasis(): string {
    const { usd, invoice } = this.model;
    if (usd.asOf) return `the clinic's rate from ${formatDate(usd.asOf)}`;
    if (invoice.issuedOn) return `the clinic's rate on the invoice date, ${formatDate(invoice.issuedOn)}`;
    return "the clinic's current rate; a draft is not dated";
  }

  private totalRow(label: string, minor: number, emphasis: boolean): void {
    const size = emphasis ? 12 : 10;
    const labelX = RIGHT - 300;
    const valueWidth = 170;
    const height = size + 18;
    if (emphasis) this.doc.save().rect(labelX - 10, this.y - 5, RIGHT - labelX + 10, height + 4).fill(COLOR.highlight).restore();
    const font = emphasis ? FONT.bold : FONT.regular;
    this.put(label, labelX, this.y, 130, { font, size });
    this.put(formatThb(minor), RIGHT - valueWidth - 4, this.y, valueWidth, { font, size, align: 'right' });
    const usd = `approx. ${formatUsd(minor, this.model.usd.thbPerUsd)}`;
    this.put(usd, RIGHT - valueWidth - 4, this.y + size + 3, valueWidth, { size: 8, color: COLOR.muted, align: 'right' });
    this.y += height + (emphasis ? 2 : 4);
  }

  private payments(): void {
    const rows: Row[] = this.model.payments.map((payment) => ({
      cells: [formatDate(payment.receivedOn), humanise(payment.method), payment.reference ?? '', formatThb(payment.amountMinor)],
    }));
    if (rows.length === 0) rows.push({ cells: ['', 'No payments received yet.', '', ''], style: 'empty' });
    this.table('Payments received', '', PAYMENT_COLUMNS, rows);
  }

  private howToPay(): void {
    const { invoice, clinic } = this.model;
    const contact = `Questions about this invoice? Call ${clinic.phone} or email ${clinic.email}.`;
    const text = `${payInstruction(invoice)} ${contact}`;
    const boxHeight = this.measure(text, WIDTH - 20, { size: 9 }) + 38;
    this.ensureSpace(boxHeight);
    this.doc.save().roundedRect(LEFT, this.y, WIDTH, boxHeight, 4).lineWidth(0.8).stroke(COLOR.rule).restore();
    this.put('How to pay', LEFT + 10, this.y + 9, WIDTH - 20, { font: FONT.bold, size: 10, color: COLOR.accent });
    this.put(text, LEFT + 10, this.y + 25, WIDTH - 20, { size: 9 });
    this.y += boxHeight;
  }

  // -- every page: watermark, footer, page number ---------------------------------------------

  private decoratePages(): void {
    const range = this.doc.bufferedPageRange();
    for (let index = 0; index < range.count; index++) {
      this.doc.switchToPage(range.start + index);
      this.doc.page.margins.bottom = 0; // writing below the content area must not add a page
      this.watermark();
      this.pageFooter(index + 1, range.count);
    }
  }

  private watermark(): void {
    const word = { DRAFT: 'DRAFT', VOID: 'VOID', ISSUED: '', PAID: '' }[this.model.invoice.status];
    if (!word) return;
    const centre: [number, number] = [A4.width / 2, A4.height / 2];
    this.doc.save().rotate(-30, { origin: centre }).fillOpacity(0.06);
    this.style({ font: FONT.bold, size: 120, color: COLOR.text }).text(word, 0, centre[1] - 60, {
      width: A4.width,
      align: 'center',
      lineBreak: false,
    });
    this.doc.restore();
  }

  private pageFooter(page: number, pages: number): void {
    const y = A4.height - 52;
    const { clinic, invoice } = this.model;
    const label = invoice.number ? `Invoice ${invoice.number}` : 'DRAFT – not a bill';
    this.rule(y);
    this.put(`${clinic.name} · ${label}`, LEFT, y + 6, WIDTH - 90, { size: 8, color: COLOR.muted });
    this.put(`Page ${page} of ${pages}`, RIGHT - 90, y + 6, 90, { size: 8, color: COLOR.muted, align: 'right' });
  }
}

function lineCells(line: InvoicePdfLine): string[] {
  const unitPrice = line.unitPriceMinor === null ? '' : formatThb(line.unitPriceMinor);
  return [formatDate(line.serviceDate), line.description, formatQuantity(line.quantity), unitPrice, formatThb(line.amountMinor)];
}

function includedCells(line: InvoicePdfLine): string[] {
  return [line.description, formatQuantity(line.quantity), '', 'Included'];
}

function balanceLabel(status: InvoicePdfModel['invoice']['status']): string {
  if (status === 'DRAFT') return 'Balance (draft)';
  if (status === 'VOID') return 'Balance (void)';
  return 'Balance due';
}

function bannerSpec(invoice: InvoicePdfModel['invoice']): { title: string; detail: string; color: string; fill: string } | null {
  if (invoice.status === 'DRAFT') {
    return {
      title: 'DRAFT — not a bill',
      detail: 'This is a preview of the charges so far. It has no invoice number yet, and nothing is payable until the clinic issues the invoice.',
      color: '#9a5b00',
      fill: '#fff6e0',
    };
  }
  if (invoice.status === 'VOID') {
    const reason = invoice.voidReason?.trim() || 'not recorded';
    return {
      title: 'VOID — this invoice has been cancelled',
      detail: `Reason: ${reason}. Nothing is payable on this invoice; any correction is made on a new invoice.`,
      color: '#a61b1b',
      fill: '#fdecec',
    };
  }
  return null;
}

function payInstruction(invoice: InvoicePdfModel['invoice']): string {
  if (invoice.status === 'DRAFT') return 'This draft is for information only: please do not pay until you receive the issued invoice.';
  if (invoice.status === 'VOID') return 'This invoice has been cancelled: please do not pay it.';
  if (invoice.status === 'PAID') return 'This invoice is paid in full. Thank you.';
  return `Please pay the balance due in Thai baht (THB) by bank transfer or at the clinic's reception, quoting invoice number ${invoice.number ?? ''}.`;
}
