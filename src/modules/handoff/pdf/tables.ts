/**
 * The handoff PDF's tables: full width and flowing over pages, two-up (one long narrow table in
 * two columns) and side by side (two related tables row by row).
 */
import { FONT, type TextStyle } from '../../../common/pdf/pdf-style.js';
import { type Column, columns, type PlacedColumn, putCells, putColumnTitles, tallestCell } from '../../../common/pdf/table-columns.js';
import { COLOR, CONTENT_BOTTOM, continued, type Layout, LEFT, SUB_STYLE, TOP, WIDTH } from './layout.js';

export interface Row {
  cells: string[];
  empty?: boolean;
}

/** A column; width 0 takes the width left over. */
export const col = (title: string, width: number, align: 'left' | 'right' = 'left'): Column => ({ title, width, align });

const CELL_PAD = 3;
const CELL_STYLE: TextStyle = { size: 8.5 };
const EMPTY_STYLE: TextStyle = { font: FONT.italic, size: 8.5, color: COLOR.muted };
const TABLE_HEADER_HEIGHT = 15;
const GUTTER = 22;
const HALF = (WIDTH - GUTTER) / 2;

/** A table to draw: its title (above it, repeated "(continued)" after a page break), columns and rows. */
export interface TableSpec {
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

function bodyRows(spec: TableSpec): Row[] {
  return spec.rows.length > 0 ? spec.rows : [{ cells: [spec.empty], empty: true }];
}

/** A full-width table flowing over pages; the header repeats and the last row is never alone. */
export function table(layout: Layout, spec: TableSpec): void {
  const cols = columns(spec.cols, LEFT, WIDTH);
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
export function twoUp(layout: Layout, spec: TableSpec): void {
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

/** Two related narrow tables side by side (steps of the stay | steps remaining), row by row; returns the page they start on. */
export function sideBySide(layout: Layout, specs: [TableSpec, TableSpec]): number {
  const placed = [columns(specs[0].cols, LEFT, HALF), columns(specs[1].cols, LEFT + HALF + GUTTER, HALF)];
  const bodies = specs.map(bodyRows);
  const count = Math.max(...bodies.map((body) => body.length));
  const heightOf = (i: number) => Math.max(...bodies.map((body, k) => (body[i] ? rowHeight(layout, placed[k] ?? [], body[i]) : 0)));
  let firstPage = layout.page;
  for (let start = 0; start < count; ) {
    if (start > 0) layout.newPage();
    // On a later page, a table whose rows have all been drawn gets no title or header.
    const titles = specs.map((spec, k) => (start === 0 ? spec.title : (bodies[k]?.length ?? 0) > start ? continued(spec.title) : ''));
    layout.ensureSpace(Math.max(...titles.map((t) => titleHeight(layout, t, HALF))) + TABLE_HEADER_HEIGHT + heightOf(start) + heightOf(start + 1));
    if (start === 0) firstPage = layout.page;
    tableTitles(layout, titles, [LEFT, LEFT + HALF + GUTTER], HALF);
    const end = rowsThatFit(count, start, layout.remaining - TABLE_HEADER_HEIGHT, heightOf);
    const parts = bodies.map((body, k): Part => ({ cols: placed[k] ?? [], rows: body.slice(start, end) }));
    drawInStep(layout, parts.filter((part) => part.rows.length > 0), (i) => heightOf(start + i));
    start = end;
  }
  layout.y += 10;
  return firstPage;
}

/**
 * How much must fit under a section title: all of a short section (an intro and a two-up
 * table), so it is not split; only its start when it is longer than a page anyway.
 */
export function keepTogether(layout: Layout, intro: string, spec: TableSpec): number {
  const rows = bodyRows(spec);
  const cols = columns(spec.cols, LEFT, HALF);
  const perColumn = rows.length <= 6 ? rows.length : Math.ceil(rows.length / 2);
  const rowHeights = Math.max(...rows.map((row) => rowHeight(layout, cols, row))) * perColumn;
  const height = layout.measure(intro, WIDTH, { size: 9, font: FONT.bold }) + 6 + titleHeight(layout, spec.title) + TABLE_HEADER_HEIGHT + rowHeights;
  return height <= CONTENT_BOTTOM - TOP - 40 ? height : 80;
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
  putColumnTitles(layout, cols, layout.y + 4, { font: FONT.bold, size: 7.5, color: COLOR.muted });
  layout.y += TABLE_HEADER_HEIGHT + 1;
}

function rowHeight(layout: Layout, cols: PlacedColumn[], row: Row): number {
  if (row.empty) return layout.measure(row.cells[0] ?? '', extent(cols).width, EMPTY_STYLE) + 2 * CELL_PAD;
  return tallestCell(layout, cols, row.cells, CELL_STYLE, 9) + 2 * CELL_PAD;
}

/** One row at layout.y, every other one shaded so long rows are easy to follow; moves y below it. */
function drawRow(layout: Layout, cols: PlacedColumn[], row: Row, height: number, index: number): void {
  const { left, width } = extent(cols);
  if (row.empty) {
    layout.put(row.cells[0] ?? '', left, layout.y + CELL_PAD, width, EMPTY_STYLE);
  } else {
    if (index % 2 === 1) layout.fillRect(left - 3, layout.y, width + 6, height, COLOR.stripe);
    putCells(layout, cols, row.cells, layout.y + CELL_PAD, CELL_STYLE);
  }
  layout.y += height;
  layout.rule(layout.y - 0.3, COLOR.rule, left - 3, left + width + 3);
}
