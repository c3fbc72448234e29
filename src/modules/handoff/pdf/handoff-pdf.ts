/**
 * The discharge and handoff summary as a PDF for the next prescriber (domain.md §11): page 1 is
 * the summary a busy prescriber reads first (the last opioid dose given, risks, what was tapered,
 * what is in play now, findings, aftercare, whom to call), then the chart of daily MME and pain,
 * then the detail.
 *
 * Pure rendering of a HandoffSummary (no Nest, no database, no clock): the document is dated
 * from `generatedAt`, so the same summary always gives the same bytes. Text is drawn in the
 * embedded fonts (PdfWriter), so names print as written, in any script.
 */
import { clinicName } from '../../../common/clinic/clinic-contact.js';
import { formatDate } from '../../../common/pdf/display-format.js';
import { A4, FONT, type TextStyle } from '../../../common/pdf/pdf-style.js';
import { decorateEveryPage, pageNumber, renderA4Pdf } from '../../../common/pdf/render-pdf.js';
import { pinContact } from './contact.js';
import { drawDetail } from './detail.js';
import { drawAftercareBrief, drawChart, drawFindings, drawHeadline, drawLastDose, drawMedicinesNow, drawParties, drawRiskPanel, drawSchedulePointer, drawTitle } from './first-page.js';
import { fullName, stayText } from './format.js';
import { COLOR, CONTENT_BOTTOM, Layout, LEFT, RIGHT, TOP, WIDTH } from './layout.js';
import type { HandoffSummary } from '../handoff-summary.js';
import { tidyText } from '../../../common/pdf/tidy-text.js';

/** How to print what the summary leaves to the reader: instants on the clinic's clock (an IANA zone). */
export interface HandoffPdfOptions {
  timeZone: string;
}

export function renderHandoffPdf(summary: HandoffSummary, options: HandoffPdfOptions): Promise<Buffer> {
  const area = { left: LEFT, right: RIGHT, top: TOP, contentBottom: CONTENT_BOTTOM };
  return renderA4Pdf(area, () => documentInfo(summary), (doc) => drawDocument(new Layout(doc), summary, options));
}

/** Metadata dated from the summary (never the clock), so rendering is deterministic. */
function documentInfo(summary: HandoffSummary): PDFKit.DocumentInfo {
  const ms = Date.parse(summary.generatedAt);
  return {
    Title: tidyText(`Discharge and handoff summary - ${fullName(summary)}`),
    Author: tidyText(clinicName(summary.clinic)),
    Subject: tidyText(`For ${summary.recipient.name}; stay ${stayText(summary)}`),
    CreationDate: new Date(Number.isNaN(ms) ? 0 : ms),
  };
}

function drawDocument(layout: Layout, summary: HandoffSummary, options: HandoffPdfOptions): void {
  drawTitle(layout, summary, options.timeZone);
  pinContact(layout, summary);
  drawParties(layout, summary);
  drawLastDose(layout, summary, options.timeZone);
  drawRiskPanel(layout, summary);
  drawHeadline(layout, summary);
  drawFindings(layout, summary);
  drawMedicinesNow(layout, summary);
  drawAftercareBrief(layout, summary);
  drawChart(layout, summary, options.timeZone);
  drawDetail(layout, summary, options.timeZone);
  drawSchedulePointer(layout);
  decorateEveryPage(layout.doc, (page, pages) => pageFooter(layout, summary, page, pages));
}

/** Every page: who it is about, and "Page X of N". */
function pageFooter(layout: Layout, summary: HandoffSummary, page: number, pages: number): void {
  const y = A4.height - 46;
  const who = `${fullName(summary)} · ${summary.patient.hn} · born ${formatDate(summary.patient.dateOfBirth)} · discharged ${formatDate(summary.stay.dischargedOn)}`;
  const muted: TextStyle = { size: 7.5, color: COLOR.muted };
  const confidential = `Discharge and handoff summary, ${clinicName(summary.clinic)}. Confidential: shared with the patient's consent with ${summary.recipient.name} only.`;
  layout.rule(y);
  const whoHeight = layout.put(who, LEFT, y + 5, WIDTH - 80, { ...muted, font: FONT.bold, color: COLOR.text });
  // A long name wraps: the next line goes below it, never over it.
  layout.put(confidential, LEFT, y + 5 + Math.max(11, whoHeight + 2), WIDTH, muted);
  // Drawn last, so a page's text ends with its number.
  layout.put(pageNumber(page, pages), RIGHT - 80, y + 5, 80, { ...muted, font: FONT.bold, color: COLOR.text, align: 'right' });
}
