import type { RequestExample } from '../../../common/http/api-content.js';
import type { CreateChargeRequest } from './charge.requests.js';
import type { DispenseRequest } from './dispensation.requests.js';
import type { DraftInvoiceRequest, PaymentRequest } from './invoice.requests.js';

type Examples<T> = Record<string, { summary: string; value: RequestExample<T> }>;

export const CHARGE_EXAMPLES: Examples<CreateChargeRequest> = {
  massage: { summary: 'A spa massage at the catalogue price', value: { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-11', idempotencyKey: 'desk-2027-01-11-spa-1' } },
  transport: {
    summary: 'Transport to the hospital, priced as it came',
    value: { itemCode: 'HOSPITAL_TRANSPORT', quantity: 1, serviceDate: '2027-01-12', unitPriceMinor: 120000, description: 'Taxi to Chiang Mai Ram Hospital and back', idempotencyKey: 'desk-2027-01-12-taxi' },
  },
};

export const DISPENSATION_EXAMPLES: Examples<DispenseRequest> = {
  oxycodone: { summary: 'A week of oxycodone 5 mg tablets', value: { drug: 'oxycodone', strength: 5, unit: 'mg', quantity: 42, dispensedOn: '2027-01-04', idempotencyKey: 'ward-b:2027-01-04:oxy-1' } },
};

export const INVOICE_EXAMPLES: Examples<DraftInvoiceRequest> = {
  month: { summary: 'The first 30 days of a stay', value: { periodStart: '2027-01-04', periodEnd: '2027-02-02' } },
};

export const PAYMENT_EXAMPLES: Examples<PaymentRequest> = {
  transfer: { summary: 'A bank transfer of THB 150,000', value: { amountMinor: 15_000_000, method: 'TRANSFER', receivedOn: '2027-02-03', reference: 'KBank 0203-7781' } },
  retrySafe: {
    summary: 'A card payment with an idempotency key: a retry records nothing new',
    value: { amountMinor: 5_000_000, method: 'CARD', receivedOn: '2027-02-03', reference: 'card 4242', idempotencyKey: 'desk-42:2027-02-03:1' },
  },
};
