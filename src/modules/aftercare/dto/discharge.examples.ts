import type { RequestExample } from '../../../common/http/api-content.js';
import type { DischargeRequest } from './discharge.requests.js';

export const DISCHARGE_EXAMPLES: Record<string, { summary: string; value: RequestExample<DischargeRequest> }> = {
  home: {
    summary: 'Home to Zürich, with consent to send the handoff to the GP',
    value: {
      dischargedOn: '2027-02-02',
      outsidePrescriber: { name: 'Dr. Hannah Weber', practice: 'Praxis am Markt, Zürich', phone: '+41 44 555 01 23', email: 'praxis@example.ch' },
      consentToShare: { given: true, recordedOn: '2027-02-01' },
    },
  },
};
