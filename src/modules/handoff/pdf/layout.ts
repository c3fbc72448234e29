/**
 * The handoff PDF's page geometry and flowing text: a Layout tracks where the next block goes,
 * breaks pages (repeating the section's title) and keeps page 1's foot free for the contact.
 */
import { A4, FONT, INK, type TextStyle } from '../../../common/pdf/pdf-style.js';
import { PdfWriter } from '../../../common/pdf/pdf-writer.js';
import { NONE } from './format.js';

export const LEFT = 42;
export const RIGHT = A4.width - 42;
export const WIDTH = RIGHT - LEFT;
export const TOP = 40;
export const CONTENT_BOTTOM = A4.height - 58; // the footer lives below this
const LINE_GAP = 1.2;
export const COLOR = { ...INK, stripe: '#f6f8fa', risk: '#a61b1b', riskFill: '#fdecec' };

export class Layout extends PdfWriter {
  y = TOP;
  /** The section being drawn: a page break inside it repeats its title, "(continued)". */
  section = '';
  /** A page whose content stops higher (page 1, to keep the clinic's contact at its foot). */
  reserved: { page: number; bottom: number } | null = null;
  /** Where page 1 says on which page each remaining taper schedule is, once that is known. */
  scheduleNote: { page: number; y: number } | null = null;
  readonly schedulePages: string[] = [];

  constructor(doc: PDFKit.PDFDocument) {
    super(doc, { left: LEFT, right: RIGHT, lineGap: LINE_GAP });
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

const SECTION_STYLE: TextStyle = { font: FONT.bold, size: 12, color: COLOR.accent };
export const LABEL_STYLE: TextStyle = { font: FONT.bold, size: 7.5, color: COLOR.muted };
export const SUB_STYLE: TextStyle = { font: FONT.bold, size: 9.5, color: COLOR.text };

/** A section title with a rule under it; `keep` more points must fit below it on the same page. */
export function section(layout: Layout, title: string, keep = 40): void {
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

export function continued(title: string): string {
  return title ? `${title} (continued)` : '';
}

export function paragraph(layout: Layout, text: string, style: TextStyle = { size: 9 }, after = 6): void {
  layout.ensureSpace(layout.measure(text, WIDTH, style));
  layout.y += layout.put(text, LEFT, layout.y, WIDTH, style) + after;
}

/** "None recorded: …" in muted italics, so an empty section is explicit rather than missing. */
export function noneRecorded(layout: Layout, what: string): void {
  paragraph(layout, `${NONE}: ${what}`, { font: FONT.italic, size: 9, color: COLOR.muted }, 10);
}

/** Bulleted lines, each wrapped under its own text. */
export function bullets(layout: Layout, items: string[], style: TextStyle = { size: 9 }, x = LEFT, width = WIDTH): void {
  for (const item of items) {
    const height = layout.measure(item, width - 10, style);
    layout.ensureSpace(height);
    layout.put('•', x, layout.y, 8, style);
    layout.y += layout.put(item, x + 10, layout.y, width - 10, style) + 2;
  }
}
