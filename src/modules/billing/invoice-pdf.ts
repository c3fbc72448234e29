/**
 * The invoice as a PDF a patient's family can read: pure rendering of a view model (no Nest, no
 * database, no clock), so the same model always gives the same bytes.
 *
 * pdfkit's standard fonts (Helvetica) only draw the WinAnsi character set: no "฿", no "≈", no
 * Thai script. Amounts are therefore written "THB …" and "approx. US$ …", and any other
 * character outside WinAnsi is printed as "?" rather than corrupting the text stream — callers
 * should pass the Latin-script (passport) spelling of names.
 */
import { clinicName, CONTACT_NOT_CONFIGURED } from '../../common/clinic/clinic-contact.js';
import { formatDate, humanise } from '../../common/pdf/display-format.js';
import { A4, FONT, INK, type TextStyle } from '../../common/pdf/pdf-style.js';
import { PdfWriter } from '../../common/pdf/pdf-writer.js';
import { decorateEveryPage, pageNumber, renderA4Pdf } from '../../common/pdf/render-pdf.js';
import { columns as placeColumns, putCells, putColumnTitles, tallestCell, type Column, type PlacedColumn } from '../../common/pdf/table-columns.js';
import { formatPeriod, formatRate, formatThb, formatUsd } from './invoice-pdf-format.js';
import type { InvoicePdfModel } from './invoice-pdf-model.js';
import { balanceLabel, bannerSpec, includedCells, invoiceLabel, lineCells, payInstruction, SECTIONS, VOIDED_PAYMENTS_INTRO, voidedPaymentCells } from './invoice-pdf-wording.js';
import { tidyText } from '../../common/pdf/tidy-text.js';

// ---------------------------------------------------------------------------------------------
// Layout

const LEFT = 50;
const RIGHT = A4.width - 50;
const WIDTH = RIGHT - LEFT;
const TOP = 48;
const CONTENT_BOTTOM = A4.height - 72; // the page footer lives below this
const LINE_GAP = 1.5;
const CELL_PAD = 4;
const COLOR = { ...INK, highlight: '#e3eef5' };
const MAIN_STYLE: TextStyle = { font: FONT.bold, size: 11 };

type RowStyle = 'normal' | 'subtotal' | 'empty' | 'void';
interface Row {
  cells: string[];
  style?: RowStyle;
}

/** Columns across the content width. */
function columns(spec: Column[]): PlacedColumn[] {
  return placeColumns(spec, LEFT, WIDTH);
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

export function renderInvoicePdf(model: InvoicePdfModel): Promise<Buffer> {
  const area = { left: LEFT, right: RIGHT, top: TOP, contentBottom: CONTENT_BOTTOM };
  return renderA4Pdf(area, () => documentInfo(model), (doc) => {
    assertTotalsAddUp(model);
    new InvoiceDrawing(doc, model).draw();
  });
}

/**
 * A document a family pays from must add up: refuse one whose lines and totals disagree. A void
 * invoice may show a balance of zero, since nothing is payable on it.
 */
function assertTotalsAddUp({ lines, totals, invoice, payments }: InvoicePdfModel): void {
  const sum = lines.reduce((total, line) => total + line.amountMinor, 0);
  const paid = payments.filter((payment) => !payment.voidedOn).reduce((total, payment) => total + payment.amountMinor, 0);
  const voidAndZero = invoice.status === 'VOID' && totals.balanceMinor === 0;
  if (sum !== totals.totalMinor || paid !== totals.paidMinor || (totals.totalMinor - totals.paidMinor !== totals.balanceMinor && !voidAndZero)) {
    throw new RangeError(
      `Invoice totals do not add up: lines ${sum}, total ${totals.totalMinor}, paid ${totals.paidMinor} (payments ${paid}), balance ${totals.balanceMinor}`,
    );
  }
}

/** Metadata, dated from the model (never the clock) so rendering is deterministic. */
function documentInfo(model: InvoicePdfModel): PDFKit.DocumentInfo {
  const day = [model.usd.asOf, model.invoice.issuedOn, model.invoice.periodEnd]
    .map((value) => /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? ''))
    .find((match) => match !== null);
  const created = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : new Date(0);
  return {
    Title: tidyText(`${invoiceLabel(model.invoice)} - ${clinicName(model.clinic)}`),
    Author: tidyText(clinicName(model.clinic)),
    Subject: tidyText(`Invoice for ${formatPeriod(model.invoice)}`),
    CreationDate: created,
  };
}

class InvoiceDrawing extends PdfWriter {
  private y = TOP;

  constructor(
    doc: PDFKit.PDFDocument,
    private readonly model: InvoicePdfModel,
  ) {
    super(doc, { left: LEFT, right: RIGHT, lineGap: LINE_GAP });
  }

  /** A supplementary invoice: charges alone, no residential fee. */
  private get chargesOnly(): boolean {
    return !this.model.lines.some((line) => line.kind === 'RESIDENTIAL_FEE');
  }

  draw(): void {
    this.header();
    this.banner();
    this.parties();
    // A supplementary invoice of charges alone has no fee, so no fee section and nothing it includes.
    for (const section of SECTIONS) if (!this.chargesOnly || section.kind === 'CHARGE') this.lineSection(section);
    this.totals();
    this.payments();
    this.howToPay();
    this.decoratePages();
  }

  // -- primitives -----------------------------------------------------------------------------

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
    let left = this.y + this.put(clinicName(clinic), LEFT, this.y, width, { font: FONT.bold, size: 16, color: COLOR.accent });
    const contact = [clinic.phone ? `Tel ${clinic.phone}` : '', clinic.email, clinic.taxId ? `Tax ID ${clinic.taxId}` : ''];
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
    const dated = this.chargesOnly ? `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)}` : formatPeriod(invoice);
    // The two main lines share a baseline, lowered for a name whose Thai marks stack under its caption.
    const room = Math.max(this.roomAbove(patient.name, width, MAIN_STYLE), this.roomAbove(dated, width, MAIN_STYLE));
    const billedTo = this.block(LEFT, 'Billed to', { text: patient.name, room }, [
      `Hospital number: ${patient.hn}`,
      `Date of birth: ${formatDate(patient.dateOfBirth)}`,
      `Admission: ${patient.admissionId}`,
      `Admitted: ${formatDate(patient.admittedOn)}`,
    ], width);
    const period = this.block(LEFT + WIDTH / 2 + 10, this.chargesOnly ? 'Charges dated' : 'Period of care', { text: dated, room }, [
      invoice.number ? `Invoice number: ${invoice.number}` : 'Invoice number: none yet (draft)',
      'Currency: Thai baht (THB)',
    ], width);
    this.y = Math.max(billedTo, period) + 18;
  }

  /** A caption, a bold main line (with `room` above it for marks) and detail lines at x; returns the y below. */
  private block(x: number, label: string, main: { text: string; room: number }, details: string[], width: number): number {
    let y = this.y + this.put(label.toUpperCase(), x, this.y, width, { font: FONT.bold, size: 7.5, color: COLOR.muted });
    y += 2 + this.putBelow(main.text, x, y + 2, width, MAIN_STYLE, main.room);
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
  private table(title: string, intro: string, cols: PlacedColumn[], rows: Row[]): void {
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

  private tableHeader(cols: PlacedColumn[]): void {
    const height = 16;
    this.fillRect(LEFT, this.y, WIDTH, height, COLOR.band);
    putColumnTitles(this, cols, this.y + 4.5, { font: FONT.bold, size: 8, color: COLOR.muted });
    this.y += height + 2;
  }

  private rowStyle(row: Row): TextStyle {
    if (row.style === 'subtotal') return { font: FONT.bold, size: 9 };
    if (row.style === 'empty') return { font: FONT.italic, size: 9, color: COLOR.muted };
    if (row.style === 'void') return { size: 9, color: COLOR.muted };
    return { size: 9 };
  }

  private rowHeight(cols: PlacedColumn[], row: Row): number {
    return tallestCell(this, cols, row.cells, this.rowStyle(row), 10) + 2 * CELL_PAD;
  }

  private row(cols: PlacedColumn[], row: Row, height: number): void {
    if (row.style === 'subtotal') this.rule(this.y, COLOR.text, cols[cols.length - 1]?.x ?? LEFT, RIGHT);
    putCells(this, cols, row.cells, this.y + CELL_PAD, this.rowStyle(row));
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
    if (emphasis) this.fillRect(labelX - 10, this.y - 5, RIGHT - labelX + 10, height + 4, COLOR.highlight);
    const font = emphasis ? FONT.bold : FONT.regular;
    this.put(label, labelX, this.y, 130, { font, size });
    this.put(formatThb(minor), RIGHT - valueWidth - 4, this.y, valueWidth, { font, size, align: 'right' });
    const usd = `approx. ${formatUsd(minor, this.model.usd.thbPerUsd)}`;
    this.put(usd, RIGHT - valueWidth - 4, this.y + size + 3, valueWidth, { size: 8, color: COLOR.muted, align: 'right' });
    this.y += height + (emphasis ? 2 : 4);
  }

  /**
   * The payments that count; below them, only when there are any, the payments entered by mistake
   * and voided, in a table of their own so that no one adds them up with the others.
   */
  private payments(): void {
    const counted = this.model.payments.filter((payment) => !payment.voidedOn);
    const voided = this.model.payments.filter((payment) => payment.voidedOn);
    const rows: Row[] = counted.map((payment) => ({
      cells: [formatDate(payment.receivedOn), humanise(payment.method), payment.reference ?? '', formatThb(payment.amountMinor)],
    }));
    if (rows.length === 0) rows.push({ cells: ['', 'No payments received yet.', '', ''], style: 'empty' });
    this.table('Payments received', '', PAYMENT_COLUMNS, rows);
    if (voided.length === 0) return;
    const voidRows: Row[] = voided.map((payment) => ({ cells: voidedPaymentCells(payment), style: 'void' }));
    this.table('Payments voided (not counted)', VOIDED_PAYMENTS_INTRO, PAYMENT_COLUMNS, voidRows);
  }

  private howToPay(): void {
    const { invoice, clinic } = this.model;
    const contact = `Questions about this invoice? ${invoiceQuestions(clinic)}.`;
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
    decorateEveryPage(this.doc, (page, pages) => {
      this.watermark();
      this.pageFooter(page, pages);
    });
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
    this.put(`${clinicName(clinic)} · ${label}`, LEFT, y + 6, WIDTH - 90, { size: 8, color: COLOR.muted });
    this.put(pageNumber(page, pages), RIGHT - 90, y + 6, 90, { size: 8, color: COLOR.muted, align: 'right' });
  }
}

/** "Call … or email …", with only what the clinic configured; the words say so when it configured neither. */
function invoiceQuestions(clinic: InvoicePdfModel['clinic']): string {
  if (clinic.phone && clinic.email) return `Call ${clinic.phone} or email ${clinic.email}`;
  if (clinic.phone) return `Call ${clinic.phone}`;
  if (clinic.email) return `Email ${clinic.email}`;
  return `Contact the clinic (${CONTACT_NOT_CONFIGURED})`;
}
