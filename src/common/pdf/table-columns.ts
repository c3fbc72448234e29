import type { TextStyle } from './pdf-style.js';
import type { PdfWriter } from './pdf-writer.js';

export interface Column {
  title: string;
  /** 0: the column that takes the width left over. */
  width: number;
  align: 'left' | 'right';
}

export type PlacedColumn = Column & { x: number };

/** Columns laid out left to right from `left` with a gap; the one with width 0 takes what is left of `width`. */
export function columns(spec: Column[], left: number, width: number, gap = 8): PlacedColumn[] {
  const fixed = spec.reduce((sum, c) => sum + c.width, 0) + gap * (spec.length - 1);
  let x = left;
  return spec.map((c) => {
    const placed = { ...c, width: c.width || width - fixed, x };
    x += placed.width + gap;
    return placed;
  });
}

/** Each column's title at y, aligned as its column. */
export function putColumnTitles(writer: PdfWriter, cols: PlacedColumn[], y: number, style: TextStyle): void {
  for (const c of cols) writer.put(c.title, c.x, y, c.width, { ...style, align: c.align });
}

/** A row's cells at y, each wrapped in its column. */
export function putCells(writer: PdfWriter, cols: PlacedColumn[], cells: string[], y: number, style: TextStyle): void {
  cols.forEach((c, i) => writer.put(cells[i] ?? '', c.x, y, c.width, { ...style, align: c.align }));
}

/** The height of a row's tallest cell, and at least `atLeast` (an empty row keeps its height). */
export function tallestCell(writer: PdfWriter, cols: PlacedColumn[], cells: string[], style: TextStyle, atLeast: number): number {
  return Math.max(...cols.map((c, i) => writer.measure(cells[i] ?? '', c.width, style)), atLeast);
}
