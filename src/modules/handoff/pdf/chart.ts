/**
 * The chart of the handoff PDF: total daily MME (a stepped line, left axis) and pain scores
 * (points, right axis, 0–10) over the stay, with pauses of the taper shaded. Pure drawing on a
 * pdfkit document in a given box; no clock. Only ASCII text, so the standard fonts draw it all.
 */
import { MONTHS } from '../../../common/pdf/display-format.js';
import { FONT } from '../../../common/pdf/pdf-style.js';

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MmePainChartData {
  /** First and last day of the stay (YYYY-MM-DD); the x axis spans at least these. */
  firstDay: string;
  lastDay: string;
  mme: { date: string; mme: number }[];
  /**
   * Set where MME does not apply (buprenorphine alone): no MME line is drawn (never a line at 0),
   * no MME axis, and the legend says this instead of naming the line.
   */
  mmeNotApplicable?: string | null;
  /** The MME line's name in the legend when it leaves an opioid out (buprenorphine beside others); "all opioids" otherwise. */
  mmeLineLabel?: string | null;
  /** Each score's clinic day (YYYY-MM-DD) and the fraction of that day elapsed on the clinic's clock, as the days of `mme`. */
  pain: { date: string; dayFraction: number; score: number }[];
  pauses: { from: string; days: number }[];
}

const DAY_MS = 86_400_000;
const COLOR = {
  text: '#1f2933',
  muted: '#5f6b7a',
  grid: '#dde3ea',
  axis: '#8795a1',
  mme: '#1d4e6b',
  pain: '#c2410c',
  pause: '#f3e3b5',
};
/** Room around the plot area for the axes' ticks and titles, and the legend below. */
const PAD = { left: 46, right: 40, top: 8, bottom: 48 };
const PAIN_MAX = 10;
const Y_INTERVALS = 5; // both axes share the grid: 0–10 pain in steps of 2

interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
  firstDay: number;
  days: number;
  mmeMax: number;
}

/** Draws the chart inside `box` (axes, grid, pauses, MME line, pain points and legend). */
export function drawMmePainChart(doc: PDFKit.PDFDocument, box: ChartBox, data: MmePainChartData): void {
  const plot = plotArea(box, data);
  doc.save();
  shadePauses(doc, plot, data.pauses);
  drawGrid(doc, plot);
  drawXAxis(doc, plot);
  const withMme = !data.mmeNotApplicable;
  drawYAxes(doc, plot, withMme);
  if (withMme) drawMmeLine(doc, plot, data.mme);
  drawPainPoints(doc, plot, data.pain);
  if ((!withMme || data.mme.length === 0) && data.pain.length === 0) noData(doc, plot, withMme);
  drawLegend(doc, box, plot, { pauses: data.pauses.length > 0, mmeNotApplicable: data.mmeNotApplicable ?? null, mmeLineLabel: data.mmeLineLabel ?? null });
  doc.restore();
}

// -- scales -----------------------------------------------------------------------------------

function dayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** A score's day number plus the fraction of its (clinic) day elapsed. */
function pointNumber(point: MmePainChartData['pain'][number]): number {
  return dayNumber(point.date) + Math.min(1, Math.max(0, point.dayFraction));
}

function plotArea(box: ChartBox, data: MmePainChartData): Plot {
  const days = [data.firstDay, data.lastDay, ...data.mme.map((d) => d.date)].map(dayNumber).filter(Number.isFinite);
  const painDays = data.pain.map((p) => dayNumber(p.date)).filter(Number.isFinite);
  const first = Math.min(...days, ...painDays);
  const last = Math.max(...days, ...painDays);
  return {
    left: box.x + PAD.left,
    right: box.x + box.width - PAD.right,
    top: box.y + PAD.top,
    bottom: box.y + box.height - PAD.bottom,
    firstDay: first,
    days: Math.max(1, last - first + 1),
    mmeMax: niceMax(Math.max(0, ...data.mme.map((d) => d.mme))),
  };
}

/** The smallest "round" axis maximum (5 equal steps of 1, 2, 2.5 or 5 × 10^n) above `value`. */
function niceMax(value: number): number {
  if (!(value > 0)) return Y_INTERVALS * 10;
  const rough = value / Y_INTERVALS;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s * Y_INTERVALS >= value) ?? 10 * power;
  return step * Y_INTERVALS;
}

/** x of the start of a day (offset may be fractional for instants). */
function xAt(plot: Plot, dayOffset: number): number {
  return plot.left + (dayOffset / plot.days) * (plot.right - plot.left);
}

function yMme(plot: Plot, mme: number): number {
  return plot.bottom - (mme / plot.mmeMax) * (plot.bottom - plot.top);
}

function yPain(plot: Plot, score: number): number {
  return plot.bottom - (score / PAIN_MAX) * (plot.bottom - plot.top);
}

// -- background, grid, axes -------------------------------------------------------------------

function shadePauses(doc: PDFKit.PDFDocument, plot: Plot, pauses: MmePainChartData['pauses']): void {
  for (const pause of pauses) {
    const start = Math.max(0, dayNumber(pause.from) - plot.firstDay);
    const end = Math.min(plot.days, start + pause.days);
    if (!(end > start)) continue;
    doc.rect(xAt(plot, start), plot.top, xAt(plot, end) - xAt(plot, start), plot.bottom - plot.top).fill(COLOR.pause);
  }
}

function drawGrid(doc: PDFKit.PDFDocument, plot: Plot): void {
  for (let i = 1; i <= Y_INTERVALS; i++) {
    const y = plot.bottom - (i / Y_INTERVALS) * (plot.bottom - plot.top);
    doc.moveTo(plot.left, y).lineTo(plot.right, y).lineWidth(0.5).strokeColor(COLOR.grid).stroke();
  }
  doc.rect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top).lineWidth(0.7).strokeColor(COLOR.axis).stroke();
}

/** Dates on x: a tick per day, a label every 1, 2, 3, 7, 14… days so labels never collide. */
function drawXAxis(doc: PDFKit.PDFDocument, plot: Plot): void {
  const every = labelInterval(plot.days, plot.right - plot.left);
  for (let day = 0; day < plot.days; day++) {
    const x = xAt(plot, day + 0.5);
    const labelled = day % every === 0;
    doc.moveTo(x, plot.bottom).lineTo(x, plot.bottom + (labelled ? 4 : 2)).lineWidth(0.5).strokeColor(COLOR.axis).stroke();
    if (labelled) label(doc, shortDate(plot.firstDay + day), x - 20, plot.bottom + 6, 40, 'center');
  }
  const title = 'Date (each tick is one day of the stay)';
  label(doc, title, plot.left, plot.bottom + 17, plot.right - plot.left, 'center', COLOR.muted);
}

function labelInterval(days: number, width: number): number {
  const fit = Math.max(1, Math.floor(width / 42));
  return [1, 2, 3, 7, 14, 28, 56, 91, 182, 365].find((step) => Math.ceil(days / step) <= fit) ?? Math.ceil(days / fit);
}

/** The MME axis on the left (left out where MME does not apply), pain on the right. */
function drawYAxes(doc: PDFKit.PDFDocument, plot: Plot, withMme: boolean): void {
  for (let i = 0; i <= Y_INTERVALS; i++) {
    const y = plot.bottom - (i / Y_INTERVALS) * (plot.bottom - plot.top);
    if (withMme) label(doc, formatNumber((plot.mmeMax * i) / Y_INTERVALS), plot.left - 34, y - 3.5, 30, 'right', COLOR.mme);
    label(doc, formatNumber((PAIN_MAX * i) / Y_INTERVALS), plot.right + 4, y - 3.5, 20, 'left', COLOR.pain);
  }
  const middle = (plot.top + plot.bottom) / 2;
  if (withMme) verticalTitle(doc, 'Total daily MME', plot.left - 38, middle, COLOR.mme);
  verticalTitle(doc, 'Pain score (0-10)', plot.right + 30, middle, COLOR.pain);
}

function verticalTitle(doc: PDFKit.PDFDocument, text: string, x: number, middle: number, color: string): void {
  const width = 120;
  doc.save().rotate(-90, { origin: [x, middle] });
  label(doc, text, x - width / 2, middle - 4, width, 'center', color, FONT.bold);
  doc.restore();
}

// -- data -------------------------------------------------------------------------------------

/** A stepped line: each day's total MME holds for that whole day. */
function drawMmeLine(doc: PDFKit.PDFDocument, plot: Plot, daily: MmePainChartData['mme']): void {
  const points = daily
    .map((d) => ({ day: dayNumber(d.date) - plot.firstDay, mme: d.mme }))
    .filter((p) => Number.isFinite(p.day))
    .sort((a, b) => a.day - b.day);
  if (points.length === 0) return;
  points.forEach((p, i) => {
    const y = yMme(plot, p.mme);
    const previous = points[i - 1];
    if (previous && previous.day === p.day - 1) doc.lineTo(xAt(plot, p.day), y);
    else doc.moveTo(xAt(plot, p.day), y);
    doc.lineTo(xAt(plot, p.day + 1), y);
  });
  doc.lineWidth(1.8).lineJoin('miter').strokeColor(COLOR.mme).stroke();
}

function drawPainPoints(doc: PDFKit.PDFDocument, plot: Plot, pain: MmePainChartData['pain']): void {
  for (const point of pain) {
    const offset = pointNumber(point) - plot.firstDay;
    if (!Number.isFinite(offset)) continue;
    const score = Math.min(PAIN_MAX, Math.max(0, point.score));
    doc.circle(xAt(plot, offset), yPain(plot, score), 3).lineWidth(0.7).fillAndStroke(COLOR.pain, '#ffffff');
  }
}

function noData(doc: PDFKit.PDFDocument, plot: Plot, withMme: boolean): void {
  const text = withMme ? 'None recorded: no daily MME and no pain scores for this stay.' : 'None recorded: no pain scores for this stay.';
  label(doc, text, plot.left, (plot.top + plot.bottom) / 2 - 5, plot.right - plot.left, 'center', COLOR.muted, FONT.italic, 9);
}

// -- legend and text --------------------------------------------------------------------------

function drawLegend(doc: PDFKit.PDFDocument, box: ChartBox, plot: Plot, show: { pauses: boolean; mmeNotApplicable: string | null; mmeLineLabel: string | null }): void {
  const y = box.y + box.height - 14;
  let x = plot.left;
  if (show.mmeNotApplicable) {
    // Why there is no line: never a line at 0 for an opioid whose MME is not known.
    x += legendText(doc, show.mmeNotApplicable, x, y, COLOR.mme) + 14;
  } else {
    doc.moveTo(x, y + 4).lineTo(x + 18, y + 4).lineWidth(1.8).strokeColor(COLOR.mme).stroke();
    x += 22 + legendText(doc, show.mmeLineLabel ?? 'Total daily MME, all opioids (left axis)', x + 22, y) + 14;
  }
  doc.circle(x + 4, y + 4, 3).lineWidth(0.6).fillAndStroke(COLOR.pain, '#ffffff');
  x += 12 + legendText(doc, 'Pain score (right axis)', x + 12, y) + 14;
  if (!show.pauses) return;
  doc.rect(x, y, 14, 8).fill(COLOR.pause);
  legendText(doc, 'Taper paused', x + 18, y);
}

/** Writes a legend entry and returns its width. */
function legendText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, color = COLOR.text): number {
  label(doc, text, x, y, 260, 'left', color, FONT.regular, 8);
  return doc.font(FONT.regular).fontSize(8).widthOfString(text);
}

function label(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  align: 'left' | 'right' | 'center',
  color = COLOR.muted,
  font = FONT.regular,
  size = 7.5,
): void {
  doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { width, align, lineBreak: false });
}

function shortDate(day: number): string {
  const date = new Date(day * DAY_MS);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''}`;
}

function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}
