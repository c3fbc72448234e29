import type { RequestExample } from '../../../common/http/api-content.js';
import type { OrderAsNeededRequest } from './as-needed.requests.js';
import type { OrderMedicationRequest } from './pain-plan.requests.js';

export const MEDICATION_EXAMPLES: Record<string, { summary: string; value: RequestExample<OrderMedicationRequest> }> = {
  paracetamol: { summary: 'Paracetamol 1 g three times a day', value: { drug: 'paracetamol', dose: 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Low back pain' } },
  patch: { summary: 'A lidocaine 5% patch, 12 hours on', value: { drug: 'lidocaine', dose: 1, unit: 'patch', timesPerDay: 1, route: 'TOPICAL', indication: 'Scar pain' } },
};

export const AS_NEEDED_EXAMPLES: Record<string, { summary: string; value: RequestExample<OrderAsNeededRequest> }> = {
  clonidine: {
    summary: 'Clonidine 0.1 mg up to four times a day, at a COWS of 8 or more',
    value: { drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4, indication: 'Sweating and restlessness of withdrawal', cowsThreshold: 8 },
  },
  loperamide: { summary: 'Loperamide 2 mg after each loose stool, eight a day at most', value: { drug: 'loperamide', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 2, maxDosesPerDay: 8, indication: 'Diarrhoea of withdrawal' } },
};
