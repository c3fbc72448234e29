import type { RequestExample } from '../../../common/http/api-content.js';
import type { AmendTaperOrderRequest, CreateTaperOrderRequest, DiscontinueTaperOrderRequest } from './taper-order.requests.js';

export const TAPER_ORDER_EXAMPLES: Record<string, { summary: string; value: RequestExample<CreateTaperOrderRequest> }> = {
  oxycodone: {
    summary: 'Oxycodone IR from the intake dose, 10% of the start every week, to zero',
    value: {
      drug: 'oxycodone', formulation: 'IR', startDailyDose: 30, unit: 'mg', unitStrengths: [5, 10], allowHalfTablets: true,
      reductionPercent: 10, intervalDays: 7, basis: 'START', startDate: '2027-01-04', targetDailyDose: 0,
    },
  },
  override: {
    summary: 'Faster than guidance, with the psychiatrist\'s reason',
    value: {
      drug: 'oxycodone', formulation: 'IR', startDailyDose: 30, unit: 'mg', unitStrengths: [5, 10], allowHalfTablets: true,
      reductionPercent: 20, intervalDays: 7, basis: 'START', startDate: '2027-01-04', targetDailyDose: 0,
      overrideReason: 'Patient request after informed discussion; daily COWS during the first two weeks.',
    },
  },
};

export const AMENDMENT_EXAMPLES: Record<string, { summary: string; value: RequestExample<AmendTaperOrderRequest> }> = {
  pause: { summary: 'Hold the dose for a week', value: { effectiveFrom: '2027-01-18', pauseDays: 7, reason: 'COWS 14 on two days; holding the dose.' } },
  slower: { summary: 'Slow down to 5% every two weeks', value: { effectiveFrom: '2027-01-25', reductionPercent: 5, intervalDays: 14, reason: 'Pain flare at 20 mg.' } },
};

export const DISCONTINUE_EXAMPLES: Record<string, { summary: string; value: RequestExample<DiscontinueTaperOrderRequest> }> = {
  rotation: { summary: 'Stop the replaced product on the day its rotation starts', value: { effectiveFrom: '2027-01-20', reason: 'Rotated to morphine IR from this day.' } },
};
