import type { RequestExample } from '../../../common/http/api-content.js';
import type { RecordAdministrationRequest } from './administration.requests.js';

const ORDER = '0b6a1c2e-5d4f-4a8b-9c3d-2e1f0a9b8c7d';
const WITNESS = '7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8';

export const ADMINISTRATION_EXAMPLES: Record<string, { summary: string; value: RequestExample<RecordAdministrationRequest> }> = {
  given: {
    summary: 'The morning taper dose, given and witnessed',
    value: { orderKind: 'TAPER', orderId: ORDER, dose: 10, unit: 'mg', givenAt: '2027-01-11T08:05:00+07:00', outcome: 'GIVEN', witnessId: WITNESS, idempotencyKey: 'ward-b:2027-01-11:08:oxy' },
  },
  held: {
    summary: 'A dose held, with the reason',
    value: { orderKind: 'TAPER', orderId: ORDER, dose: 10, unit: 'mg', givenAt: '2027-01-12T08:00:00+07:00', outcome: 'HELD', reason: 'Drowsy, RR 10; psychiatrist informed.', idempotencyKey: 'ward-b:2027-01-12:08:oxy' },
  },
};
