/** What the invoice PDF shows: a view model, built by the invoice documents service. */

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
  /** `hn` as printed: HN-000123. */
  patient: { name: string; hn: string; dateOfBirth: string; admissionId: string; admittedOn: string };
  lines: InvoicePdfLine[];
  totals: { totalMinor: number; paidMinor: number; balanceMinor: number };
  /** The configured rate; `asOf` (YYYY-MM-DD) is the date it applies from, stated on the PDF. */
  usd: { thbPerUsd: number; asOf?: string | null };
  /** Oldest first; a void one (`voidedOn` set) is printed apart, marked void, and not counted in `totals.paidMinor`. */
  payments: InvoicePdfPayment[];
}

export interface InvoicePdfPayment {
  receivedOn: string;
  method: string;
  amountMinor: number;
  reference?: string | null;
  /** The clinic day it was voided on, or null/absent for a payment that counts. */
  voidedOn?: string | null;
  voidReason?: string | null;
}

export interface InvoicePdfLine {
  kind: 'RESIDENTIAL_FEE' | 'CHARGE' | 'INCLUDED';
  description: string;
  serviceDate?: string | null;
  quantity: number;
  unitPriceMinor: number | null;
  amountMinor: number;
}
