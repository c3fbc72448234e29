/**
 * Warnings a taper order carries beside its steps (domain.md §7 v1.1): the long-term guidance
 * (about 10% a month or slower after a year or more on opioids), and the cautions of methadone,
 * the fentanyl patch and buprenorphine. Warnings only: none refuses an order.
 */
import type { ClinicalWarning } from './clinical-error.js';
import { canonicalDrugCode } from './mme.js';
import { dayNumberOf } from './calendar-dates.js';
import { percentOf, thousandthsOrNull } from './taper-doses.js';
import type { ScaledRules, TaperPlan } from './taper-plan.js';
import { aboveSwitch } from './taper-steps.js';
import type { OpioidTaperStep, TaperContext } from './taper-types.js';

const CAUTIONS: readonly { code: string; applies: (plan: TaperPlan) => boolean; message: string }[] = [
  {
    code: 'METHADONE_CAUTION',
    applies: (plan) => plan.drug === 'methadone',
    message:
      'Methadone: its half-life is long and varies between patients, so respiratory depression can come later and last longer ' +
      'than the pain relief. Observe more closely (every 2–3 days) after each change.',
  },
  {
    code: 'FENTANYL_PATCH_CAUTION',
    applies: (plan) => plan.drug === 'fentanyl' && plan.formulation === 'TRANSDERMAL',
    message:
      'Fentanyl patch: heat (fever, heating pads, hot baths) raises absorption, and a dose change takes effect slowly, ' +
      'over a day or more; judge each step late, not early.',
  },
  {
    code: 'MME_NOT_APPLICABLE',
    applies: (plan) => !plan.converted,
    message: 'MME does not apply: this opioid has no MME factor (buprenorphine, a partial agonist), so its steps show no daily MME and MME totals leave it out.',
  },
];

export function drugCautions(plan: TaperPlan): ClinicalWarning[] {
  return CAUTIONS.filter((c) => c.applies(plan)).map((c) => ({ code: c.code, message: c.message }));
}

interface StepRate {
  step: number;
  /** % per 28 days, 2 decimals. */
  rate: number;
  /** cut × 280 000 > limit (hundredths) × reference × days, exactly. */
  over: boolean;
}

/** Each step's rate per 28 days by the rule-7 formula; the final stop to 0 is exempt, as there. */
function ratesPer28Days(steps: readonly OpioidTaperStep[], plan: TaperPlan, limitHundredths: number, fromIndex: number): StepRate[] {
  return steps.flatMap((s, i) => {
    if (i === 0 || i < fromIndex || (i === steps.length - 1 && s.dailyDose === 0)) return [];
    const [prev, dose] = [thousandthsOrNull(steps[i - 1].dailyDose), thousandthsOrNull(s.dailyDose)];
    const days = dayNumberOf(s.startsOn) - dayNumberOf(steps[i - 1].startsOn);
    if (prev === null || dose === null || days <= 0) return [];
    const reference = aboveSwitch(plan, prev) ? plan.start : prev;
    const cut = prev - dose;
    return [{ step: s.step, rate: percentOf(cut * 28, reference * days), over: cut * 280_000 > limitHundredths * reference * days }];
  });
}

/**
 * FASTER_THAN_LONG_TERM_GUIDANCE: an intake opioid taken longTermMonths or more, and a step (from
 * `fromIndex`, the first new one of an amendment) faster than the per-28-day limit.
 */
export function longTermWarnings(steps: readonly OpioidTaperStep[], plan: TaperPlan, rules: ScaledRules, context: TaperContext, fromIndex = 1): ClinicalWarning[] {
  const longTerm = (context.intakeOpioids ?? []).filter((o) => o.monthsOnTherapy >= rules.longTermMonths);
  if (longTerm.length === 0) return [];
  const over = ratesPer28Days(steps, plan, rules.maxLongTermHundredths, fromIndex).filter((r) => r.over);
  if (over.length === 0) return [];
  const fastest = over.reduce((a, b) => (b.rate > a.rate ? b : a));
  const who = longTerm.map((o) => `${canonicalDrugCode(o.drug)} for ${o.monthsOnTherapy} months`).join(', ');
  const limit = rules.maxLongTermHundredths / 100;
  return [
    {
      code: 'FASTER_THAN_LONG_TERM_GUIDANCE',
      message:
        `Opioids taken a year or more (${who}): ${over.length === 1 ? 'one step is' : `${over.length} steps are`} faster than ${limit}% per 28 days, ` +
        `up to ${fastest.rate}% (step ${fastest.step}). CDC 2022 advises about 10% a month or slower after a year; the programme's ` +
        'residential practice is 5–10% every 1–2 weeks, individually paced.',
    },
  ];
}
