/**
 * The discharge and handoff summary as a PDF for the next prescriber (domain.md §11): page 1 is
 * the summary a busy prescriber reads first (risks, what was tapered, what is in play now,
 * findings, aftercare, whom to call), then the chart of daily MME and pain, then the detail.
 *
 * Pure rendering of a HandoffSummary (no Nest, no database, no clock): the document is dated
 * from `generatedAt`, so the same summary always gives the same bytes. Standard fonts only
 * (WinAnsi): characters outside it print as "?" — pass Latin-script names.
 */
import PDFDocument from 'pdfkit';
import { DSM5_CRITERIA } from '../../clinical/dsm5.js';
import { drawMmePainChart, type MmePainChartData } from './handoff-chart.js';
import { painConditionText, type HandoffIntake, type HandoffSummary, type HandoffTaper, type HandoffTaperStep } from './handoff-summary.js';

// ---------------------------------------------------------------------------------------------
// Formatting

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NONE = 'None recorded';

/** "2027-01-04" (or an instant starting so) → "4 Jan 2027"; anything else as given. */
function formatDate(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!match) return iso ?? '';
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/** An ISO instant → "4 Jan 2027 08:30" (UTC: the summary carries instants in UTC). */
function formatInstant(iso: string): string {
  const time = /T(\d{2}):(\d{2})/.exec(iso);
  return time ? `${formatDate(iso)} ${time[1]}:${time[2]}` : formatDate(iso);
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A daily amount: "80 mg/day"; a unit that is already a rate (mcg/h) is left as it is. */
function perDay(amount: number, unit: string): string {
  return unit.includes('/') ? `${formatNumber(amount)} ${unit}` : `${formatNumber(amount)} ${unit}/day`;
}

function mme(value: number | null): string {
  return value === null ? 'MME not calculated' : `${formatNumber(value)} MME`;
}

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "oxycodone" → "Oxycodone" (records keep drug names in lower case). */
function drug(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function fullName(summary: HandoffSummary): string {
  return `${summary.patient.givenName} ${summary.patient.familyName}`;
}

function stayText(summary: HandoffSummary): string {
  const { stay } = summary;
  return `${formatDate(stay.admittedOn)} – ${formatDate(stay.dischargedOn)} (${days(stay.days)})`;
}

function rate(reductionPercent: number, intervalDays: number): string {
  return `${formatNumber(reductionPercent)}% every ${days(intervalDays)}`;
}

/** The extra characters WinAnsi has beyond Latin-1 (curly quotes, dashes, bullet, …). */
const WIN_ANSI_EXTRAS = new Set(
  [338, 339, 352, 353, 376, 381, 382, 402, 710, 732, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222]
    .concat([8224, 8225, 8226, 8230, 8240, 8249, 8250, 8364, 8482])
    .map((code) => String.fromCodePoint(code)),
);
const READABLE: Record<string, string> = { '≥': '>=', '≤': '<=', '≈': 'approx.', '→': '->', '×': 'x', '฿': 'THB ' };

/** Text the standard fonts can draw; explicit line breaks are kept, other runs of space collapse. */
function pdfSafe(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
  return Array.from(lines.join('\n'), (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    const drawable = ch === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch);
    return drawable ? ch : (READABLE[ch] ?? '?');
  })
    .join('')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Page geometry and styles

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 42;
const RIGHT = A4.width - 42;
const WIDTH = RIGHT - LEFT;
const TOP = 40;
const CONTENT_BOTTOM = A4.height - 58; // the footer lives below this
const LINE_GAP = 1.2;
const CELL_PAD = 3;
const CHART_HEIGHT = 230;
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const COLOR = {
  text: '#1f2933',
  muted: '#5f6b7a',
  accent: '#1d4e6b',
  rule: '#c9d2db',
  band: '#edf2f6',
  stripe: '#f6f8fa',
  risk: '#a61b1b',
  riskFill: '#fdecec',
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
type PlacedColumn = Column & { x: number };

interface Row {
  cells: string[];
  empty?: boolean;
}

/** Columns laid out left to right with a gap; the one with width 0 takes what is left. */
function columns(spec: Column[], left = LEFT, width = WIDTH, gap = 8): PlacedColumn[] {
  const fixed = spec.reduce((sum, c) => sum + c.width, 0) + gap * (spec.length - 1);
  let x = left;
  return spec.map((c) => {
    const placed = { ...c, width: c.width || width - fixed, x };
    x += placed.width + gap;
    return placed;
  });
}

const col = (title: string, width: number, align: 'left' | 'right' = 'left'): Column => ({ title, width, align });

/** Column sets; "0" is the column that takes the width left over. */
const TABLES = {
  headline: [col('Opioid', 0), col('At start of taper', 104), col('At discharge', 112), col('Status', 200)],
  intake: [col('Opioid as taken at intake', 0), col('Dose', 58, 'right'), col('Times/day', 46, 'right'), col('Daily dose', 72, 'right'), col('Months', 40, 'right'), col('Prescribed', 52), col('Daily MME', 52, 'right')],
  versions: [col('Version', 40, 'right'), col('Signed', 64), col('Effective from', 70), col('Rate', 100), col('Reason', 0)],
  pauses: [col('Paused from', 72), col('For', 44, 'right'), col('Reason', 0)],
  steps: [col('Step', 26, 'right'), col('From', 70), col('Daily dose', 0, 'right'), col('Daily MME', 56, 'right')],
  cows: [col('Recorded (UTC)', 96), col('Score', 40, 'right'), col('Band', 0)],
  pain: [col('Recorded (UTC)', 96), col('Pain 0-10', 50, 'right'), col('Daily MME that day', 0, 'right')],
  active: [col('Medicine', 0), col('Dose', 58, 'right'), col('Times/day', 46, 'right'), col('Route', 48), col('Daily dose', 72, 'right'), col('For', 90), col('Since', 62)],
  stopped: [col('Medicine', 0), col('Daily dose', 72, 'right'), col('Started', 62), col('Stopped', 62), col('Reason', 150)],
  therapies: [col('Therapy', 140), col('Frequency', 120), col('Notes', 0)],
  checkIns: [col('Week', 34, 'right'), col('Due', 70), col('Status', 60), col('Notes', 0)],
} satisfies Record<string, Column[]>;

// ---------------------------------------------------------------------------------------------
// Entry point

export function renderHandoffPdf(summary: HandoffSummary): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: TOP, bottom: A4.height - CONTENT_BOTTOM, left: LEFT, right: A4.width - RIGHT },
      bufferPages: true, // "Page 1 of N" is written once the page count is known
      info: documentInfo(summary),
      font: FONT.regular,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      drawDocument(new Layout(doc), summary);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** Metadata dated from the summary (never the clock), so rendering is deterministic. */
function documentInfo(summary: HandoffSummary): PDFKit.DocumentInfo {
  const ms = Date.parse(summary.generatedAt);
  return {
    Title: pdfSafe(`Discharge and handoff summary - ${fullName(summary)}`),
    Author: pdfSafe(summary.clinic.name),
    Subject: pdfSafe(`For ${summary.recipient.name}; stay ${stayText(summary)}`),
    CreationDate: new Date(Number.isNaN(ms) ? 0 : ms),
  };
}

function drawDocument(layout: Layout, summary: HandoffSummary): void {
  drawTitle(layout, summary);
  pinContact(layout, summary);
  drawParties(layout, summary);
  drawRiskPanel(layout, summary);
  drawHeadline(layout, summary);
  drawFindings(layout, summary);
  drawMedicinesNow(layout, summary);
  drawAftercareBrief(layout, summary);
  drawChart(layout, summary);
  drawDetail(layout, summary);
  drawSchedulePointer(layout);
  decoratePages(layout, summary);
}

// ---------------------------------------------------------------------------------------------
// Layout primitives

class Layout {
  y = TOP;
  /** The section being drawn: a page break inside it repeats its title, "(continued)". */
  section = '';
  /** A page whose content stops higher (page 1, to keep the clinic's contact at its foot). */
  reserved: { page: number; bottom: number } | null = null;
  /** Where page 1 says on which page each remaining taper schedule is, once that is known. */
  scheduleNote: { page: number; y: number } | null = null;
  readonly schedulePages: string[] = [];

  constructor(readonly doc: PDFKit.PDFDocument) {}

  style(style: TextStyle): PDFKit.PDFDocument {
    return this.doc.font(style.font ?? FONT.regular).fontSize(style.size ?? 9).fillColor(style.color ?? COLOR.text);
  }

  /** Writes wrapped text in a box of the given width at (x, y); returns the height used. */
  put(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    const safe = pdfSafe(text);
    if (safe === '') return 0;
    this.style(style).text(safe, x, y, { width, align: style.align ?? 'left', lineGap: LINE_GAP });
    return this.doc.y - y;
  }

  measure(text: string, width: number, style: TextStyle = {}): number {
    const safe = pdfSafe(text);
    return safe === '' ? 0 : this.style(style).heightOfString(safe, { width, lineGap: LINE_GAP });
  }

  rule(y: number, color = COLOR.rule, x1 = LEFT, x2 = RIGHT, width = 0.6): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  fillRect(x: number, y: number, width: number, height: number, color: string): void {
    this.doc.save().rect(x, y, width, height).fill(color).restore();
  }

  /** Starts a new page when `height` more points would not fit; true if it did. */
  ensureSpace(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = TOP;
    if (this.section) sectionTitle(this, continued(this.section));
  }

  /** The index of the page being drawn (0 for page 1). */
  get page(): number {
    return this.doc.bufferedPageRange().count - 1;
  }

  /** Where content stops on the current page. */
  get bottom(): number {
    return this.reserved?.page === this.page ? this.reserved.bottom : CONTENT_BOTTOM;
  }

  get remaining(): number {
    return this.bottom - this.y;
  }
}

// -- flowing blocks ---------------------------------------------------------------------------

const SECTION_STYLE: TextStyle = { font: FONT.bold, size: 12, color: COLOR.accent };
const LABEL_STYLE: TextStyle = { font: FONT.bold, size: 7.5, color: COLOR.muted };
const SUB_STYLE: TextStyle = { font: FONT.bold, size: 9.5, color: COLOR.text };

/** A section title with a rule under it; `keep` more points must fit below it on the same page. */
function section(layout: Layout, title: string, keep = 40): void {
  layout.section = '';
  layout.ensureSpace(22 + keep);
  sectionTitle(layout, title);
  layout.section = title;
}

function sectionTitle(layout: Layout, title: string): void {
  layout.y += layout.put(title, LEFT, layout.y, WIDTH, SECTION_STYLE) + 1;
  layout.rule(layout.y, COLOR.accent);
  layout.y += 6;
}

/** A small capitalised label with the text under it. */
function labelled(layout: Layout, label: string, text: string, style: TextStyle = { size: 9 }): void {
  layout.ensureSpace(12 + layout.measure(text, WIDTH, style));
  layout.y += layout.put(label.toUpperCase(), LEFT, layout.y, WIDTH, LABEL_STYLE) + 1;
  layout.y += layout.put(text, LEFT, layout.y, WIDTH, style) + 7;
}

function paragraph(layout: Layout, text: string, style: TextStyle = { size: 9 }, after = 6): void {
  layout.ensureSpace(layout.measure(text, WIDTH, style));
  layout.y += layout.put(text, LEFT, layout.y, WIDTH, style) + after;
}

/** "None recorded: …" in muted italics, so an empty section is explicit rather than missing. */
function noneRecorded(layout: Layout, what: string): void {
  paragraph(layout, `${NONE}: ${what}`, { font: FONT.italic, size: 9, color: COLOR.muted }, 10);
}

/** Bulleted lines, each wrapped under its own text. */
function bullets(layout: Layout, items: string[], style: TextStyle = { size: 9 }, x = LEFT, width = WIDTH): void {
  for (const item of items) {
    const height = layout.measure(item, width - 10, style);
    layout.ensureSpace(height);
    layout.put('•', x, layout.y, 8, style);
    layout.y += layout.put(item, x + 10, layout.y, width - 10, style) + 2;
  }
}

// -- tables -----------------------------------------------------------------------------------

const CELL_STYLE: TextStyle = { size: 8.5 };
const EMPTY_STYLE: TextStyle = { font: FONT.italic, size: 8.5, color: COLOR.muted };
const TABLE_HEADER_HEIGHT = 15;
const GUTTER = 22;
const HALF = (WIDTH - GUTTER) / 2;

/** A table to draw: its title (above it, repeated "(continued)" after a page break), columns and rows. */
interface TableSpec {
  title: string;
  cols: Column[];
  rows: Row[];
  /** What an empty table says instead ("None recorded: …"). */
  empty: string;
}

/** The rows of one table placed at its columns, for drawing several tables in step. */
interface Part {
  cols: PlacedColumn[];
  rows: Row[];
}

function continued(title: string): string {
  return title ? `${title} (continued)` : '';
}

function bodyRows(spec: TableSpec): Row[] {
  return spec.rows.length > 0 ? spec.rows : [{ cells: [spec.empty], empty: true }];
}

/** A full-width table flowing over pages; the header repeats and the last row is never alone. */
function table(layout: Layout, spec: TableSpec): void {
  const cols = columns(spec.cols);
  const body = bodyRows(spec);
  const heights = body.map((row) => rowHeight(layout, cols, row));
  layout.ensureSpace(titleHeight(layout, spec.title) + TABLE_HEADER_HEIGHT + (heights[0] ?? 0) + (heights[1] ?? 0));
  tableTitles(layout, [spec.title], [LEFT], WIDTH);
  tableHeader(layout, cols);
  body.forEach((row, i) => {
    const keep = i === body.length - 2 ? (heights[i + 1] ?? 0) : 0;
    if (layout.ensureSpace((heights[i] ?? 0) + keep)) {
      tableTitles(layout, [continued(spec.title)], [LEFT], WIDTH);
      tableHeader(layout, cols);
    }
    drawRow(layout, cols, row, heights[i] ?? 0, i);
  });
  layout.y += 10;
}

/**
 * A narrow table of many short rows (readings, scores) in two columns on the page: down the
 * left half, then down the right, page by page, so it reads in order and takes half the paper.
 */
function twoUp(layout: Layout, spec: TableSpec): void {
  const halves = [columns(spec.cols, LEFT, HALF), columns(spec.cols, LEFT + HALF + GUTTER, HALF)] as const;
  const body = bodyRows(spec);
  const height = Math.max(...body.map((row) => rowHeight(layout, halves[0], row)));
  for (let start = 0; start < body.length; ) {
    if (start > 0) layout.newPage();
    layout.ensureSpace(titleHeight(layout, spec.title) + TABLE_HEADER_HEIGHT + 2 * height);
    tableTitles(layout, [start === 0 ? spec.title : continued(spec.title)], [LEFT], WIDTH);
    const fit = Math.max(1, Math.floor((layout.remaining - TABLE_HEADER_HEIGHT) / height));
    const left = body.length - start;
    const perColumn = left <= 6 ? Math.min(left, fit) : Math.min(fit, Math.ceil(left / 2));
    const parts = halves
      .map((cols, i): Part => ({ cols, rows: body.slice(start + i * perColumn, start + (i + 1) * perColumn) }))
      .filter((part) => part.rows.length > 0);
    drawInStep(layout, parts, () => height);
    start += parts.reduce((sum, part) => sum + part.rows.length, 0);
  }
  layout.y += 10;
}

/** Two related narrow tables side by side (steps taken | steps remaining), row by row; returns the page they start on. */
function sideBySide(layout: Layout, specs: [TableSpec, TableSpec]): number {
  const placed = [columns(specs[0].cols, LEFT, HALF), columns(specs[1].cols, LEFT + HALF + GUTTER, HALF)];
  const bodies = specs.map(bodyRows);
  const count = Math.max(...bodies.map((body) => body.length));
  const heightOf = (i: number) => Math.max(...bodies.map((body, k) => (body[i] ? rowHeight(layout, placed[k] ?? [], body[i]) : 0)));
  let firstPage = layout.page;
  for (let start = 0; start < count; ) {
    if (start > 0) layout.newPage();
    const titles = specs.map((spec) => (start === 0 ? spec.title : continued(spec.title)));
    layout.ensureSpace(Math.max(...titles.map((t) => titleHeight(layout, t, HALF))) + TABLE_HEADER_HEIGHT + heightOf(start) + heightOf(start + 1));
    if (start === 0) firstPage = layout.page;
    tableTitles(layout, titles, [LEFT, LEFT + HALF + GUTTER], HALF);
    const end = rowsThatFit(count, start, layout.remaining - TABLE_HEADER_HEIGHT, heightOf);
    drawInStep(layout, bodies.map((body, k): Part => ({ cols: placed[k] ?? [], rows: body.slice(start, end) })), (i) => heightOf(start + i));
    start = end;
  }
  layout.y += 10;
  return firstPage;
}

/** The index after the last row from `start` that fits in `space` (at least one row). */
function rowsThatFit(count: number, start: number, space: number, heightOf: (i: number) => number): number {
  let end = start;
  let used = 0;
  while (end < count && (end === start || used + heightOf(end) <= space)) used += heightOf(end++);
  return end;
}

/** Draws the parts' headers side by side, then their rows in step (row i of each on one line). */
function drawInStep(layout: Layout, parts: Part[], heightOf: (i: number) => number): void {
  const top = layout.y;
  for (const part of parts) {
    layout.y = top;
    tableHeader(layout, part.cols);
  }
  const count = Math.max(0, ...parts.map((part) => part.rows.length));
  for (let i = 0; i < count; i++) {
    const y = layout.y;
    for (const part of parts) {
      layout.y = y;
      const row = part.rows[i];
      if (row) drawRow(layout, part.cols, row, heightOf(i), i);
    }
    layout.y = y + heightOf(i);
  }
}

function titleHeight(layout: Layout, title: string, width = WIDTH): number {
  return title ? layout.measure(title, width, SUB_STYLE) + 3 : 0;
}

/** Titles over tables starting at each x, on one line; the tallest sets the y below. */
function tableTitles(layout: Layout, titles: string[], xs: number[], width: number): void {
  const heights = titles.map((title, i) => (title ? layout.put(title, xs[i] ?? LEFT, layout.y, width, SUB_STYLE) + 3 : 0));
  layout.y += Math.max(0, ...heights);
}

function extent(cols: PlacedColumn[]): { left: number; width: number } {
  const first = cols[0];
  const last = cols[cols.length - 1];
  return first && last ? { left: first.x, width: last.x + last.width - first.x } : { left: LEFT, width: WIDTH };
}

function tableHeader(layout: Layout, cols: PlacedColumn[]): void {
  const { left, width } = extent(cols);
  layout.fillRect(left - 3, layout.y, width + 6, TABLE_HEADER_HEIGHT, COLOR.band);
  for (const c of cols) layout.put(c.title, c.x, layout.y + 4, c.width, { font: FONT.bold, size: 7.5, color: COLOR.muted, align: c.align });
  layout.y += TABLE_HEADER_HEIGHT + 1;
}

function rowHeight(layout: Layout, cols: PlacedColumn[], row: Row): number {
  if (row.empty) return layout.measure(row.cells[0] ?? '', extent(cols).width, EMPTY_STYLE) + 2 * CELL_PAD;
  const heights = cols.map((c, i) => layout.measure(row.cells[i] ?? '', c.width, CELL_STYLE));
  return Math.max(...heights, 9) + 2 * CELL_PAD;
}

/** One row at layout.y, every other one shaded so long rows are easy to follow; moves y below it. */
function drawRow(layout: Layout, cols: PlacedColumn[], row: Row, height: number, index: number): void {
  const { left, width } = extent(cols);
  if (row.empty) {
    layout.put(row.cells[0] ?? '', left, layout.y + CELL_PAD, width, EMPTY_STYLE);
  } else {
    if (index % 2 === 1) layout.fillRect(left - 3, layout.y, width + 6, height, COLOR.stripe);
    cols.forEach((c, i) => layout.put(row.cells[i] ?? '', c.x, layout.y + CELL_PAD, c.width, { ...CELL_STYLE, align: c.align }));
  }
  layout.y += height;
  layout.rule(layout.y - 0.3, COLOR.rule, left - 3, left + width + 3);
}

// ---------------------------------------------------------------------------------------------
// Page 1: the summary

function drawTitle(layout: Layout, summary: HandoffSummary): void {
  const { clinic } = summary;
  layout.put(clinic.name, LEFT, layout.y, WIDTH * 0.6, { font: FONT.bold, size: 11, color: COLOR.accent });
  layout.put(`Prepared ${formatDate(summary.generatedAt)}`, LEFT + WIDTH * 0.6, layout.y + 1, WIDTH * 0.4, { size: 8.5, color: COLOR.muted, align: 'right' });
  layout.y += 15;
  layout.y += layout.put('Discharge and handoff summary', LEFT, layout.y, WIDTH, { font: FONT.bold, size: 18 }) + 5;
  layout.rule(layout.y, COLOR.accent, LEFT, RIGHT, 1);
  layout.y += 8;
}

function drawParties(layout: Layout, summary: HandoffSummary): void {
  const { patient, recipient, consent } = summary;
  const half = WIDTH / 2 - 8;
  const patientLines = [`Date of birth: ${formatDate(patient.dateOfBirth)}`, `Stay: ${stayText(summary)}`, `Pathway: ${stayPathway(summary)}`];
  const recipientLines = [recipient.practice ?? '', recipient.phone ? `Tel ${recipient.phone}` : '', recipient.email ?? '', `Patient's consent to share with this recipient: ${formatDate(consent.recordedOn)}`];
  const left = block(layout, LEFT, 'Patient', fullName(summary), patientLines, half);
  const right = block(layout, LEFT + WIDTH / 2 + 8, 'To (next prescriber)', recipient.name, recipientLines, half);
  layout.y = Math.max(left, right) + 10;
}

function stayPathway(summary: HandoffSummary): string {
  const via = summary.stay.viaPartnerHospital ? ', via the partner hospital' : '';
  return `${humanise(summary.stay.pathway)}${via}`;
}

/** A label, a bold main line and detail lines at x; returns the y below it. */
function block(layout: Layout, x: number, label: string, main: string, lines: string[], width: number): number {
  let y = layout.y + layout.put(label.toUpperCase(), x, layout.y, width, LABEL_STYLE) + 1;
  y += layout.put(main, x, y, width, { font: FONT.bold, size: 12 }) + 1;
  for (const line of lines.filter(Boolean)) y += layout.put(line, x, y, width, { size: 8.5 }) + 0.5;
  return y;
}

/** The risks, boxed in red at the top: the things that can kill the patient after discharge. */
function drawRiskPanel(layout: Layout, summary: HandoffSummary): void {
  const pad = 9;
  const inner = WIDTH - 2 * pad;
  const title = 'RISK AFTER DISCHARGE - READ BEFORE PRESCRIBING ANY OPIOID';
  const messages = summary.risks.length > 0 ? summary.risks.map((r) => r.message) : [`${NONE}.`];
  const style: TextStyle = { font: FONT.bold, size: 9.5, color: COLOR.text };
  const height = pad * 2 + 16 + messages.reduce((sum, m) => sum + layout.measure(m, inner - 12, style) + 3, 0);
  layout.ensureSpace(height);
  layout.doc.save().rect(LEFT, layout.y, WIDTH, height).lineWidth(1.5).fillAndStroke(COLOR.riskFill, COLOR.risk).restore();
  layout.put(title, LEFT + pad, layout.y + pad, inner, { font: FONT.bold, size: 10.5, color: COLOR.risk });
  const top = layout.y;
  layout.y += pad + 16;
  bullets(layout, messages, style, LEFT + pad + 2, inner - 2);
  layout.y = top + height + 12;
}

/** Total MME at intake → at discharge in large type, the intake regimen, then each taper. */
function drawHeadline(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Opioids: what was taken, what was tapered, what is taken now', 80);
  const { mme: totals, intake } = summary;
  const big = `Total daily MME: ${formatNumber(totals.atIntake)} at intake, ${formatNumber(totals.atDischarge)} at discharge${reduction(totals.atIntake, totals.atDischarge)}`;
  layout.y += layout.put(big, LEFT, layout.y, WIDTH, { font: FONT.bold, size: 13, color: COLOR.accent }) + 3;
  const regimen = intake.opioids.map(intakeRegimen).join('; ') || NONE;
  layout.y += layout.put(`Intake regimen (${formatDate(intake.assessedOn)}): ${regimen}.`, LEFT, layout.y, WIDTH, { size: 8.5 }) + 6;
  if (summary.tapers.length === 0) return noneRecorded(layout, 'no taper order during this stay.');
  table(layout, { title: '', cols: TABLES.headline, rows: summary.tapers.map(headlineRow), empty: NONE });
  if (summary.tapers.some((t) => t.remainingSteps.length > 0)) {
    layout.y -= 5;
    layout.scheduleNote = { page: layout.page, y: layout.y };
    layout.y += 16;
  }
}

/** Fills in page 1's pointer to the remaining schedules, now that their pages are known. */
function drawSchedulePointer(layout: Layout): void {
  const note = layout.scheduleNote;
  if (!note || layout.schedulePages.length === 0) return;
  layout.doc.switchToPage(note.page);
  const text = `The remaining schedule after discharge, step by step: ${layout.schedulePages.join(', ')}.`;
  layout.put(text, LEFT, note.y, WIDTH, { font: FONT.bold, size: 8.5, color: COLOR.accent });
}

/** " (down 65%)" from intake to discharge; nothing when it did not fall. */
function reduction(atIntake: number, atDischarge: number): string {
  if (!(atIntake > 0) || atDischarge >= atIntake) return '';
  return ` (down ${Math.round((1 - atDischarge / atIntake) * 100)}%)`;
}

function intakeRegimen(opioid: HandoffIntake['opioids'][number]): string {
  const taken = `${formatNumber(opioid.dose)} ${opioid.unit} x ${opioid.timesPerDay}/day`;
  return `${drug(opioid.drug)} ${opioid.formulation} ${taken} (${perDay(opioid.dailyDose, opioid.unit)}, ${mme(opioid.dailyMme)})`;
}

function headlineRow(taper: HandoffTaper): Row {
  const start = `${perDay(taper.start.dailyDose, taper.unit)} (${mme(taper.start.dailyMme)})\nfrom ${formatDate(taper.start.date)}`;
  const end = `${perDay(taper.atDischarge.dailyDose, taper.unit)} (${mme(taper.atDischarge.dailyMme)})\nsince ${formatDate(taper.atDischarge.since)}`;
  return { cells: [`${drug(taper.drug)} ${taper.formulation}`, start, end, taperStatus(taper)] };
}

function taperStatus(taper: HandoffTaper): string {
  if (taper.completed) return `Completed: target ${perDay(taper.targetDailyDose, taper.unit)} reached`;
  const next = taper.remainingSteps[0];
  if (!next) return `Continuing towards ${perDay(taper.targetDailyDose, taper.unit)}`;
  const last = taper.remainingSteps[taper.remainingSteps.length - 1] ?? next;
  const steps = taper.remainingSteps.length === 1 ? '1 step' : `${taper.remainingSteps.length} steps`;
  const next1 = `next step ${formatDate(next.startsOn)} to ${perDay(next.dailyDose, taper.unit)}`;
  return `Continuing: ${next1}; ${steps} left, reaching ${perDay(last.dailyDose, taper.unit)} on ${formatDate(last.startsOn)}`;
}

/** Dependence vs use disorder and the pain-vs-dose finding, side by side. */
function drawFindings(layout: Layout, summary: HandoffSummary): void {
  const half = WIDTH / 2 - 8;
  const style: TextStyle = { size: 9 };
  const texts = [summary.intake.classificationText, summary.painTrend.text];
  const height = 12 + Math.max(...texts.map((t) => layout.measure(t, half, style)));
  section(layout, 'Findings', height);
  const labels = ['Dependence (DSM-5)', 'Pain against dose over the stay'];
  texts.forEach((text, i) => {
    const x = LEFT + i * (half + 16);
    layout.put((labels[i] ?? '').toUpperCase(), x, layout.y, half, LABEL_STYLE);
    layout.put(text, x, layout.y + 11, half, style);
  });
  layout.y += height + 8;
}

function drawMedicinesNow(layout: Layout, summary: HandoffSummary): void {
  const { painPlan, tapers } = summary;
  const opioids = tapers.filter((t) => t.atDischarge.dailyDose > 0).map((t) => `${drug(t.drug)} ${t.formulation}: ${perDay(t.atDischarge.dailyDose, t.unit)} (tapering; see above)`);
  const active = painPlan.active.map(activeLine);
  section(layout, 'Medicines now', 30);
  const now = [...opioids, ...active];
  if (now.length === 0) noneRecorded(layout, 'no medicines in the pain plan at discharge.');
  else bullets(layout, now);
  const stopped = painPlan.stopped.map((m) => `${drug(m.drug)} ${perDay(m.dailyDose, m.unit)}, stopped ${formatDate(m.stoppedOn)}: ${m.reason}`);
  if (stopped.length === 0) return void (layout.y += 4);
  layout.y += 3 + layout.put('STOPPED DURING THE STAY', LEFT, layout.y + 3, WIDTH, LABEL_STYLE) + 1;
  bullets(layout, stopped);
  layout.y += 4;
}

function activeLine(m: HandoffSummary['painPlan']['active'][number]): string {
  const why = m.indication ? ` for ${m.indication}` : '';
  return `${drug(m.drug)} ${formatNumber(m.dose)} ${m.unit} x ${m.timesPerDay}/day ${m.route.toLowerCase()} = ${perDay(m.dailyDose, m.unit)}${why}`;
}

function drawAftercareBrief(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Aftercare by the clinic', 24);
  if (summary.aftercare.checkIns.length === 0) return noneRecorded(layout, 'no aftercare check-ins are planned.');
  paragraph(layout, aftercareText(summary), { size: 9 }, 8);
}

function aftercareText(summary: HandoffSummary): string {
  const checkIns = summary.aftercare.checkIns;
  const planned = checkIns.filter((c) => c.status === 'PLANNED');
  const count = (status: string) => checkIns.filter((c) => c.status === status).length;
  const span = `${checkIns.length} check-ins from ${formatDate(checkIns[0]?.dueOn)} to ${formatDate(checkIns[checkIns.length - 1]?.dueOn)}`;
  const next = planned.length > 0 ? `Next: ${planned.slice(0, 3).map((c) => formatDate(c.dueOn)).join(', ')}.` : 'None still planned.';
  return `${span} (${count('DONE')} done, ${count('MISSED')} missed, ${planned.length} planned). ${next} The full schedule is in the detail.`;
}

/**
 * Whom to call, at the foot of page 1 whatever the length of the summary above it: the page
 * content stops above it (if the summary is too long, the rest flows onto page 2).
 */
function pinContact(layout: Layout, summary: HandoffSummary): void {
  const { y } = layout;
  const height = contactHeight(layout, contactText(summary, false));
  layout.y = CONTENT_BOTTOM - height;
  drawContact(layout, summary, false);
  layout.y = y;
  layout.reserved = { page: layout.page, bottom: CONTENT_BOTTOM - height - 10 };
}

/** Whom to call; the address only where there is room for it (the last page). */
function drawContact(layout: Layout, summary: HandoffSummary, withAddress: boolean): void {
  const text = contactText(summary, withAddress);
  const height = contactHeight(layout, text);
  layout.ensureSpace(height);
  layout.doc.save().rect(LEFT, layout.y, WIDTH, height).lineWidth(0.8).fillAndStroke(COLOR.band, COLOR.rule).restore();
  layout.put(text, LEFT + 8, layout.y + 6, WIDTH - 16, CONTACT_STYLE);
  layout.y += height + 14;
}

const CONTACT_STYLE: TextStyle = { size: 9, font: FONT.bold, color: COLOR.accent };

function contactText(summary: HandoffSummary, withAddress: boolean): string {
  const { clinic } = summary;
  const address = withAddress && clinic.address.length > 0 ? `\nAddress: ${clinic.address.join(', ')}` : '';
  // Leave out what the clinic has not configured rather than print "tel , .".
  const reach = [clinic.name, clinic.phone && `tel ${clinic.phone}`, clinic.email].filter(Boolean).join(', ');
  return `Questions about this patient: ${reach}.${address}`;
}

function contactHeight(layout: Layout, text: string): number {
  return layout.measure(text, WIDTH - 16, CONTACT_STYLE) + 12;
}

// ---------------------------------------------------------------------------------------------
// The chart: on page 1 if it fits, else at the top of page 2

function drawChart(layout: Layout, summary: HandoffSummary): void {
  layout.section = '';
  if (layout.remaining < CHART_HEIGHT + 26) layout.newPage();
  section(layout, 'Daily MME and pain over the stay', CHART_HEIGHT);
  drawMmePainChart(layout.doc, { x: LEFT, y: layout.y, width: WIDTH, height: CHART_HEIGHT }, chartData(summary));
  layout.y += CHART_HEIGHT + 12;
}

function chartData(summary: HandoffSummary): MmePainChartData {
  return {
    firstDay: summary.stay.admittedOn,
    lastDay: summary.stay.dischargedOn,
    mme: summary.mme.daily,
    pain: summary.painScores,
    pauses: summary.tapers.flatMap((t) => t.pauses),
  };
}

// ---------------------------------------------------------------------------------------------
// Detail pages

function drawDetail(layout: Layout, summary: HandoffSummary): void {
  layout.section = '';
  if (layout.remaining < 200) layout.newPage();
  drawIntake(layout, summary.intake);
  drawTapers(layout, summary);
  drawCows(layout, summary);
  drawPainScores(layout, summary);
  drawPainPlan(layout, summary);
  drawAftercareSchedule(layout, summary);
}

function drawIntake(layout: Layout, intake: HandoffIntake): void {
  section(layout, `Detail: intake assessment (${formatDate(intake.assessedOn)})`, 60);
  table(layout, { title: '', cols: TABLES.intake, rows: intake.opioids.map(intakeRow), empty: `${NONE}.` });
  const longActing = intake.longActing ? 'includes a long-acting opioid' : 'short-acting opioids only';
  const factors = `conversion factors ${intake.factorTable}`;
  paragraph(layout, `Total daily MME at intake: ${formatNumber(intake.totalDailyMme)} (${factors}; ${longActing}).`, { size: 9, font: FONT.bold });
  paragraph(layout, dsm5Text(intake.dsm5));
  paragraph(layout, `Classification: ${intake.classificationText}`);
  paragraph(layout, `Pain at intake: ${painConditionText(intake.pain.condition)}, score ${formatNumber(intake.pain.score)} of 10.`);
  const oih = intake.hyperalgesiaSuspected
    ? 'Signs of possible opioid-induced hyperalgesia at intake (pain spread or worse between doses): a suspicion to follow, not a diagnosis.'
    : 'No signs of opioid-induced hyperalgesia at intake.';
  paragraph(layout, oih, { size: 9 }, 12);
}

function dsm5Text(dsm5: HandoffIntake['dsm5']): string {
  const met = `DSM-5: ${dsm5.criteriaMet} of ${DSM5_CRITERIA.length} criteria met, ${dsm5.criteriaCounted} counted`;
  const excluded = dsm5.excluded.length > 0 ? ` (not counted: ${dsm5.excluded.join(', ')}, as the opioids were taken as prescribed)` : '';
  return `${met}${excluded}; use-disorder severity: ${humanise(dsm5.severity).toLowerCase()}.`;
}

function intakeRow(o: HandoffIntake['opioids'][number]): Row {
  const daily = o.dailyMme === null ? 'n/a' : formatNumber(o.dailyMme);
  return {
    cells: [`${drug(o.drug)} ${o.formulation}`, `${formatNumber(o.dose)} ${o.unit}`, String(o.timesPerDay), perDay(o.dailyDose, o.unit), formatNumber(o.monthsOnTherapy), o.prescribed ? 'Yes' : 'No', daily],
  };
}

function drawTapers(layout: Layout, summary: HandoffSummary): void {
  if (summary.tapers.length === 0) {
    section(layout, 'Detail: taper', 20);
    return noneRecorded(layout, 'no taper order during this stay.');
  }
  for (const taper of summary.tapers) drawTaper(layout, taper);
}

function drawTaper(layout: Layout, taper: HandoffTaper): void {
  section(layout, `Detail: taper of ${drug(taper.drug)} ${taper.formulation}`, 60);
  const from = `${perDay(taper.start.dailyDose, taper.unit)} from ${formatDate(taper.start.date)}`;
  const to = `${perDay(taper.atDischarge.dailyDose, taper.unit)} at discharge`;
  const basis = `now ${rate(taper.reductionPercent, taper.intervalDays)} of the ${taper.basis.toLowerCase().replace(/_/g, ' ')} dose`;
  paragraph(layout, `${from}, ${to}; target ${perDay(taper.targetDailyDose, taper.unit)}; ${basis}.`, { size: 9, font: FONT.bold });
  const versions = taper.versions.map(versionRow);
  table(layout, { title: 'Versions of the order', cols: TABLES.versions, rows: versions, empty: `${NONE}.` });
  const pauses = taper.pauses.map((p) => ({ cells: [formatDate(p.from), days(p.days), p.reason] }));
  table(layout, { title: 'Pauses', cols: TABLES.pauses, rows: pauses, empty: `${NONE}: the taper was not paused.` });
  const done = taper.completed ? 'none, the target dose was reached.' : 'no further steps are scheduled.';
  const page = sideBySide(layout, [
    { title: 'Steps taken during the stay', cols: TABLES.steps, rows: taper.stepsTaken.map((s) => stepRow(s, taper.unit)), empty: `${NONE}.` },
    { title: 'Remaining schedule after discharge', cols: TABLES.steps, rows: taper.remainingSteps.map((s) => stepRow(s, taper.unit)), empty: `${NONE}: ${done}` },
  ]);
  if (taper.remainingSteps.length > 0) layout.schedulePages.push(`page ${page + 1} (${drug(taper.drug)} ${taper.formulation})`);
}

function versionRow(v: HandoffTaper['versions'][number]): Row {
  const signed = formatDate(v.signedOn) || 'Not signed';
  return { cells: [String(v.version), signed, formatDate(v.effectiveFrom) || '-', rate(v.reductionPercent, v.intervalDays), v.reason ?? 'First version'] };
}

function stepRow(step: HandoffTaperStep, unit: string): Row {
  return { cells: [String(step.step), formatDate(step.startsOn), perDay(step.dailyDose, unit), formatNumber(step.dailyMme)] };
}

function drawCows(layout: Layout, summary: HandoffSummary): void {
  const { cows } = summary;
  const rows = cows.readings.map((r) => ({ cells: [formatInstant(r.recordedAt), String(r.score), humanise(r.band)] }));
  const spec: TableSpec = { title: 'Readings', cols: TABLES.cows, rows, empty: `${NONE}.` };
  const reading = (r: NonNullable<typeof cows.highest>) => `${r.score} (${humanise(r.band).toLowerCase()}) on ${formatInstant(r.recordedAt)} UTC`;
  const extremes = [cows.highest ? `Highest ${reading(cows.highest)}` : '', cows.last ? `Last ${reading(cows.last)}` : ''];
  const intro = `${cows.readings.length} readings. ${extremes.filter(Boolean).join('; ')}.`;
  section(layout, 'Detail: withdrawal (COWS) course', keepTogether(layout, intro, spec));
  if (rows.length === 0) return noneRecorded(layout, 'no COWS readings during the stay.');
  paragraph(layout, intro, { size: 9, font: FONT.bold });
  twoUp(layout, spec);
}

function drawPainScores(layout: Layout, summary: HandoffSummary): void {
  const byDate = new Map(summary.mme.daily.map((d) => [d.date, d.mme]));
  const rows = summary.painScores.map((p) => {
    const dayMme = byDate.get(p.recordedAt.slice(0, 10));
    return { cells: [formatInstant(p.recordedAt), formatNumber(p.score), dayMme === undefined ? '-' : formatNumber(dayMme)] };
  });
  const spec: TableSpec = { title: 'Scores', cols: TABLES.pain, rows, empty: `${NONE}.` };
  const intro = `Finding: ${summary.painTrend.text}`;
  section(layout, 'Detail: pain scores', keepTogether(layout, intro, spec));
  if (rows.length === 0) return noneRecorded(layout, 'no pain scores during the stay.');
  paragraph(layout, intro);
  twoUp(layout, spec);
}

/**
 * How much must fit under a section title: all of a short section (an intro and a two-up
 * table), so it is not split; only its start when it is longer than a page anyway.
 */
function keepTogether(layout: Layout, intro: string, spec: TableSpec): number {
  const rows = bodyRows(spec);
  const cols = columns(spec.cols, LEFT, HALF);
  const perColumn = rows.length <= 6 ? rows.length : Math.ceil(rows.length / 2);
  const rowHeights = Math.max(...rows.map((row) => rowHeight(layout, cols, row))) * perColumn;
  const height = layout.measure(intro, WIDTH, { size: 9, font: FONT.bold }) + 6 + titleHeight(layout, spec.title) + TABLE_HEADER_HEIGHT + rowHeights;
  return height <= CONTENT_BOTTOM - TOP - 40 ? height : 80;
}

function drawPainPlan(layout: Layout, summary: HandoffSummary): void {
  const { painPlan } = summary;
  section(layout, 'Detail: pain plan', 50);
  const active = painPlan.active.map((m) => ({
    cells: [drug(m.drug), `${formatNumber(m.dose)} ${m.unit}`, String(m.timesPerDay), m.route.toLowerCase(), perDay(m.dailyDose, m.unit), m.indication ?? '-', formatDate(m.startedOn)],
  }));
  table(layout, { title: 'Active medicines', cols: TABLES.active, rows: active, empty: `${NONE}: no medicines are active.` });
  const stopped = painPlan.stopped.map((m) => ({
    cells: [drug(m.drug), perDay(m.dailyDose, m.unit), formatDate(m.startedOn), formatDate(m.stoppedOn), m.reason],
  }));
  table(layout, { title: 'Stopped medicines', cols: TABLES.stopped, rows: stopped, empty: `${NONE}: nothing was stopped.` });
  const therapies = painPlan.therapies.map((t) => ({ cells: [therapyName(t.type), t.frequency, t.notes ?? ''] }));
  table(layout, { title: 'Non-drug therapies', cols: TABLES.therapies, rows: therapies, empty: `${NONE}: no non-drug therapies.` });
}

/** "PHYSIOTHERAPY" → "Physiotherapy"; short codes are acronyms and stay as they are ("CBT"). */
function therapyName(type: string): string {
  return /^[A-Z]{2,4}$/.test(type) ? type : humanise(type);
}

function drawAftercareSchedule(layout: Layout, summary: HandoffSummary): void {
  section(layout, 'Detail: aftercare schedule', 50);
  const rows = summary.aftercare.checkIns.map((c, i) => ({ cells: [String(i + 1), formatDate(c.dueOn), humanise(c.status), c.notes ?? ''] }));
  table(layout, { title: '', cols: TABLES.checkIns, rows, empty: `${NONE}: no check-ins are planned.` });
  drawContact(layout, summary, true);
}

// ---------------------------------------------------------------------------------------------
// Every page: who it is about, and "Page X of N"

function decoratePages(layout: Layout, summary: HandoffSummary): void {
  const range = layout.doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    layout.doc.switchToPage(range.start + index);
    layout.doc.page.margins.bottom = 0; // writing below the content area must not add a page
    pageFooter(layout, summary, index + 1, range.count);
  }
}

function pageFooter(layout: Layout, summary: HandoffSummary, page: number, pages: number): void {
  const y = A4.height - 46;
  const who = `${fullName(summary)} · born ${formatDate(summary.patient.dateOfBirth)} · discharged ${formatDate(summary.stay.dischargedOn)}`;
  const muted: TextStyle = { size: 7.5, color: COLOR.muted };
  const confidential = `Discharge and handoff summary, ${summary.clinic.name}. Confidential: shared with the patient's consent with ${summary.recipient.name} only.`;
  layout.rule(y);
  layout.put(who, LEFT, y + 5, WIDTH - 80, { ...muted, font: FONT.bold, color: COLOR.text });
  layout.put(confidential, LEFT, y + 16, WIDTH, muted);
  // Drawn last, so a page's text ends with its number.
  layout.put(`Page ${page} of ${pages}`, RIGHT - 80, y + 5, 80, { ...muted, font: FONT.bold, color: COLOR.text, align: 'right' });
}
