import type { RequestExample } from '../../../common/http/api-content.js';
import type { CreateEnquiryRequest } from './enquiry.requests.js';

export const ENQUIRY_EXAMPLES: Record<string, { summary: string; value: RequestExample<CreateEnquiryRequest> }> = {
  family: {
    summary: 'A daughter calls about her father',
    value: {
      contactName: 'Anna Keller',
      contactPhone: '+66 81 555 0101',
      contactEmail: 'anna.keller@example.com',
      relationship: 'FAMILY',
      source: 'GP referral',
      summary: 'Her father has taken oxycodone for three years since back surgery and wants to stop.',
    },
  },
};
