import type { RequestExample } from '../../../common/http/api-content.js';
import type { RecordObservationRequest } from './observation.requests.js';

export const OBSERVATION_EXAMPLES: Record<string, { summary: string; value: RequestExample<RecordObservationRequest> }> = {
  cows: {
    summary: 'A COWS: every item from its anchors (total 12, mild)',
    value: {
      type: 'COWS',
      recordedAt: '2027-01-05T08:00:00Z',
      items: { pulse: 1, sweating: 1, restlessness: 1, pupils: 1, boneJointAches: 2, runnyNoseTearing: 1, giUpset: 2, tremor: 0, yawning: 1, anxietyIrritability: 2, gooseflesh: 0 },
    },
  },
  pain: { summary: 'A pain score', value: { type: 'PAIN', recordedAt: '2027-01-05T08:05:00Z', score: 6 } },
};
