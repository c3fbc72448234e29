import { defineErrors } from '../../common/errors/error-catalogue.js';

export const BILLING_ERRORS = defineErrors({
  PERIOD_ALREADY_INVOICED: { status: 409, description: 'Some days of the period are already on a live invoice of this stay.' },
  ALREADY_ISSUED: { status: 409, description: 'Only a draft invoice can be issued.' },
  NOT_ISSUED: { status: 409, description: 'Payments are recorded against issued invoices; this one is still a draft.' },
  ALREADY_PAID: { status: 409, description: 'This invoice is already paid in full.' },
  INVOICE_VOID: { status: 409, description: 'This invoice is void.' },
  INVOICE_PAID: { status: 409, description: 'A paid invoice cannot be voided; void its payments first.' },
  HAS_PAYMENTS: { status: 409, description: 'An invoice with payments that are not void cannot be voided; void the payments first.' },
  UNKNOWN_ITEM: { status: 422, description: 'The item code is not in the catalogue.' },
  ITEM_INCLUDED_IN_FEE: { status: 422, description: 'The item is included in the residential fee and is never charged.' },
  USE_DISPENSATION: { status: 422, description: 'Medication is charged by dispensing it, at the formulary price.' },
  USE_PSYCH_CONSULT: { status: 422, description: 'An extra psychiatric consult is charged by recording the consult, which counts the ones the fee includes.' },
  BILLED_BY_INVOICE: { status: 422, description: 'The residential fee is billed by drafting an invoice for a period.' },
  ITEM_NOT_PRICED: { status: 422, description: 'The item has no catalogue price.' },
  NO_PRICE: { status: 422, description: 'No price applies on that date yet.' },
  NOT_IN_FORMULARY: { status: 422, description: 'The product (drug:strength:unit) is not in the formulary.' },
  PERIOD_OUTSIDE_STAY: { status: 422, description: 'The invoice period lies outside the stay.' },
  NOTHING_TO_INVOICE: { status: 422, description: 'No uninvoiced charge of the stay is dated in the period.' },
  INVOICE_TOO_LARGE: { status: 422, description: 'The invoice would exceed the largest amount the service handles.' },
  OVERPAYMENT: { status: 422, description: 'The payment is larger than the balance.' },
});
