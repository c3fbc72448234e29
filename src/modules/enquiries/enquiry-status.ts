
import { ENQUIRY_ERRORS } from './enquiries.errors.js';

/** Enquiry states (domain.md §2). */
export const ENQUIRY_STATUSES = ['NEW', 'ASSESSED', 'TRIAGED', 'ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED'] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];

/**
 * NEW → ASSESSED → TRIAGED → ADMITTED | REFERRED | DECLINED, and CLOSED from any state before
 * admission. A new assessment version keeps an enquiry ASSESSED, or takes a TRIAGED one back to
 * ASSESSED (triage again); an override keeps it TRIAGED. An admitted patient's intake is
 * corrected through the admission (the enquiry stays ADMITTED).
 */
const ALLOWED: Record<EnquiryStatus, readonly EnquiryStatus[]> = {
  NEW: ['ASSESSED', 'CLOSED'],
  ASSESSED: ['ASSESSED', 'TRIAGED', 'CLOSED'],
  // A new assessment after triage (something was missed) sends the enquiry back to be triaged again.
  TRIAGED: ['ASSESSED', 'TRIAGED', 'ADMITTED', 'REFERRED', 'DECLINED', 'CLOSED'],
  ADMITTED: [],
  REFERRED: [],
  DECLINED: [],
  CLOSED: [],
};

export function canMove(from: EnquiryStatus, to: EnquiryStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** 409 with both states named, for a transition outside the graph. */
export function assertCanMove(from: EnquiryStatus, to: EnquiryStatus): void {
  if (!canMove(from, to)) {
    throw ENQUIRY_ERRORS.INVALID_TRANSITION(`An enquiry that is ${from} cannot become ${to}.`);
  }
}
