/** What the invoice says: its sections, the cells of its lines, and the words that depend on its status. */
import { formatDate, humanise } from '../../common/pdf/display-format.js';
import { formatQuantity, formatThb } from './invoice-pdf-format.js';
import type { InvoicePdfLine, InvoicePdfModel, InvoicePdfPayment } from './invoice-pdf-model.js';

export const SECTIONS: { kind: InvoicePdfLine['kind']; title: string; intro: string; empty: string }[] = [
  {
    kind: 'RESIDENTIAL_FEE',
    title: 'Residential programme fee',
    intro: 'The all-inclusive fee for the stay, charged per day of the period.',
    empty: 'None',
  },
  {
    kind: 'CHARGE',
    title: 'Extras billed separately',
    intro: 'Items outside the fee: prescribed medication, consultations beyond those included, hospital visits, flights and the like.',
    empty: 'None – nothing outside the fee was billed for this period.',
  },
  {
    kind: 'INCLUDED',
    title: 'Included in the fee (no charge)',
    intro: 'Services covered by the residential fee, listed so you can see what it pays for. Nothing is charged for them.',
    empty: 'None',
  },
];

export function invoiceLabel(invoice: InvoicePdfModel['invoice']): string {
  return invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice';
}

export function lineCells(line: InvoicePdfLine): string[] {
  const unitPrice = line.unitPriceMinor === null ? '' : formatThb(line.unitPriceMinor);
  return [formatDate(line.serviceDate), line.description, formatQuantity(line.quantity), unitPrice, formatThb(line.amountMinor)];
}

export function includedCells(line: InvoicePdfLine): string[] {
  return [line.description, formatQuantity(line.quantity), '', 'Included'];
}

export function balanceLabel(status: InvoicePdfModel['invoice']['status']): string {
  if (status === 'DRAFT') return 'Balance (draft)';
  if (status === 'VOID') return 'Balance (void)';
  return 'Balance due';
}

export function bannerSpec(invoice: InvoicePdfModel['invoice']): { title: string; detail: string; color: string; fill: string } | null {
  if (invoice.status === 'DRAFT') {
    return {
      title: 'DRAFT — not a bill',
      detail: 'This is a preview of the charges so far. It has no invoice number yet, and nothing is payable until the clinic issues the invoice.',
      color: '#9a5b00',
      fill: '#fff6e0',
    };
  }
  if (invoice.status === 'VOID') {
    const reason = invoice.voidReason?.trim() || 'not recorded';
    return {
      title: 'VOID — this invoice has been cancelled',
      detail: `Reason: ${reason}. Nothing is payable on this invoice; any correction is made on a new invoice.`,
      color: '#a61b1b',
      fill: '#fdecec',
    };
  }
  return null;
}

export function payInstruction(invoice: InvoicePdfModel['invoice']): string {
  if (invoice.status === 'DRAFT') return 'This draft is for information only: please do not pay until you receive the issued invoice.';
  if (invoice.status === 'VOID') return 'This invoice has been cancelled: please do not pay it.';
  if (invoice.status === 'PAID') return 'This invoice is paid in full. Thank you.';
  return `Please pay the balance due in Thai baht (THB) by bank transfer or at the clinic's reception, quoting invoice number ${invoice.number ?? ''}.`;
}

export const VOIDED_PAYMENTS_INTRO = 'Payments entered by mistake and cancelled by the clinic. They are not part of the amount paid above.';

/** A voided payment's row: its reference and why it was voided, and its amount marked void. */
export function voidedPaymentCells(payment: InvoicePdfPayment): string[] {
  const why = `VOID ${formatDate(payment.voidedOn)}: ${payment.voidReason?.trim() || 'no reason recorded'}`;
  return [formatDate(payment.receivedOn), humanise(payment.method), payment.reference ? `${payment.reference} – ${why}` : why, `${formatThb(payment.amountMinor)} (void)`];
}
