/** Whom to call about the patient: pinned to the foot of page 1, and again with the address at the end. */
import { clinicName, clinicReach } from '../../../common/clinic/clinic-contact.js';
import { FONT, type TextStyle } from '../../../common/pdf/pdf-style.js';
import { COLOR, CONTENT_BOTTOM, LEFT, WIDTH, type Layout } from './layout.js';
import type { HandoffSummary } from '../handoff-summary.js';

/**
 * Whom to call, at the foot of page 1 whatever the length of the summary above it: the page
 * content stops above it (if the summary is too long, the rest flows onto page 2).
 */
export function pinContact(layout: Layout, summary: HandoffSummary): void {
  const { y } = layout;
  const height = contactHeight(layout, contactText(summary, false));
  layout.y = CONTENT_BOTTOM - height;
  drawContact(layout, summary, false);
  layout.y = y;
  layout.reserved = { page: layout.page, bottom: CONTENT_BOTTOM - height - 10 };
}

/** Whom to call; the address only where there is room for it (the last page). */
export function drawContact(layout: Layout, summary: HandoffSummary, withAddress: boolean): void {
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
  return `Questions about this patient: ${clinicName(clinic)}, ${clinicReach(clinic)}.${address}`;
}

function contactHeight(layout: Layout, text: string): number {
  return layout.measure(text, WIDTH - 16, CONTACT_STYLE) + 12;
}
