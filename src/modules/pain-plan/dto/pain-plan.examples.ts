import type { RequestExample } from '../../../common/http/api-content.js';
import type { OrderMedicationRequest } from './pain-plan.requests.js';

export const MEDICATION_EXAMPLES: Record<string, { summary: string; value: RequestExample<OrderMedicationRequest> }> = {
  paracetamol: { summary: 'Paracetamol 1 g three times a day', value: { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Low back pain' } },
  patch: { summary: 'A lidocaine 5% patch, 12 hours on', value: { drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL', indication: 'Scar pain' } },
};
