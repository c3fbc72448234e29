/**
 * The nurses' list held to the patient's limits as the record is (AdministeredOrders): what a
 * pain-plan or as-needed item has left is never more than a dose given now would be accepted, by
 * the same rules on the same figures, and an item the patient's current intake limits says why.
 */
import { drugDailyLimit, PAIN_DRUGS, patientDrugLimit, painDrugRule, RISK_FACTOR_WORDS, riskFactorsOf, type RiskFactor } from '../../clinical/pain-plan.js';
import { patientLimitNotice, roomUnderPatientLimit } from '../../clinical/patient-limit-dose.js';
import type { OverriddenRefusal } from '../../clinical/override-coverage.js';
import { carrierDoseRoom, combinationsTaken, paracetamolInTaperDoses, roomInRollingDay, type CombinationProduct, type DrugTaken, type TaperDoseGiven } from '../../clinical/rolling-day.js';
import { capitalised, listOf } from '../../clinical/pain-words.js';
import { fromThousandths, quantumThousandths } from '../../clinical/taper-doses.js';
import type { DoseLimitedBy } from './dto/doses-due.responses.js';

/** Drugs held to their limit over any 24 hours, for the list's statement. */
export const ROLLING_DAY_DRUGS: readonly string[] = Object.freeze(Object.values(PAIN_DRUGS).filter((r) => r.rollingDay).map((r) => r.drug));

/** A dose the statement found within 24 hours of the instant the list is for. */
interface RollingDose {
  givenAt: string;
  orderKind: string;
  drug: string;
  formulation: string | null;
  dose: number;
}

export interface LimitFacts {
  drug: string;
  /** What the drug's orders in force allow a day together. */
  orderedDaily: number;
  /** What every pain-plan and as-needed order of the drug gave that clinic day. */
  drugGiven: number;
  /** The latest intake's medical answers; for a taper item, only when the intake has a combination opioid. */
  medical: (Partial<Record<RiskFactor, unknown>> & { creatinineClearance?: number | null }) | null;
  /** This order's daily dose as it was checked (an as-needed order: its most a day), and the refusals it was written past. */
  orderDaily: number;
  overridden: readonly OverriddenRefusal[] | null;
  intakeOpioids: readonly (CombinationProduct & { timesPerDay: number })[] | null;
  rollingTaken: readonly RollingDose[] | null;
  rollingAt: Date;
}

/** `remaining` (thousandths, by the orders alone) under the patient's limits, and why it is limited. */
export function underPatientLimits(facts: LimitFacts, remaining: number): { remaining: number; limitedBy: DoseLimitedBy | null } {
  const medical = facts.medical;
  const order = { dailyDose: facts.orderDaily, overridden: facts.overridden ?? [] };
  const limit = medical ? patientDrugLimit(facts.drug, riskFactorsOf(medical), { creatinineClearance: medical.creatinineClearance ?? null }, order) : undefined;
  if (!limit) return { remaining, limitedBy: null };
  const notice = patientLimitNotice(limit, facts.orderedDaily, combinationsTaken(facts.drug === 'paracetamol' ? (facts.intakeOpioids ?? []) : [], taperDoses(facts)));
  const byDay = Math.min(remaining, roomUnderPatientLimit(limit, [facts.drugGiven]));
  if (!painDrugRule(facts.drug)?.rollingDay) return { remaining: byDay, limitedBy: notice };
  const room = roomInRollingDay(facts.rollingAt, limit.maxDaily, rollingTaken(facts));
  if (room >= byDay) return { remaining: byDay, limitedBy: notice };
  const reason =
    `${capitalised(limit.drug)} is held to ${limit.maxDaily} ${limit.unit} in any 24 hours, counting every source: the doses given around ` +
    `${facts.rollingAt.toISOString()} leave ${fromThousandths(room)} ${limit.unit}.`;
  return { remaining: room, limitedBy: notice ?? { code: limit.code, reason } };
}

/** A taper item: its product and the strengths its doses are made of. */
export interface TaperFacts {
  drug: string;
  formulation: string | null;
  unit: string;
  unitStrengths: number[];
  allowHalfTablets: boolean;
}

/**
 * A taper item of an intake combination product (hydrocodone 5 mg + paracetamol 325 mg):
 * `remaining` (thousandths, by the schedule) is no more than what the record accepts now, the
 * dose whose paracetamol still fits the patient's paracetamol limit over any 24 hours with every
 * source (AdministeredOrders.paracetamolInDose: drugDailyLimit by the latest intake), rounded
 * down to a dose the order's strengths make (checkAchievableDose). Any other taper: unchanged.
 */
export function taperUnderParacetamol(
  facts: Pick<LimitFacts, 'medical' | 'intakeOpioids' | 'rollingTaken' | 'rollingAt'>,
  taper: TaperFacts,
  remaining: number,
): { remaining: number; limitedBy: DoseLimitedBy | null } {
  if (!facts.medical || !facts.intakeOpioids) return { remaining, limitedBy: null };
  const limit = drugDailyLimit('paracetamol', riskFactorsOf(facts.medical))!;
  const taken = rollingTaken({ ...facts, drug: 'paracetamol' });
  const quantum = quantumThousandths(taper);
  const room = carrierDoseRoom(facts.rollingAt, taper, facts.intakeOpioids, limit.maxDaily, taken, { quantum, upTo: remaining });
  if (room === null || room >= remaining) return { remaining, limitedBy: null };
  const next = room + quantum;
  const [carried] = paracetamolInTaperDoses([{ givenAt: facts.rollingAt, drug: taper.drug, formulation: taper.formulation, dose: fromThousandths(next) }], facts.intakeOpioids);
  const product = `${taper.drug}${taper.formulation ? ` ${taper.formulation}` : ''}`;
  const because = limit.because.length > 0 ? ` with ${listOf(limit.because.map((f) => RISK_FACTOR_WORDS[f]))}` : '';
  const reason =
    `${capitalised(product)} carries paracetamol, which is held to ${limit.maxDaily} mg in any 24 hours${because}, counting every source: ` +
    `the doses given around ${facts.rollingAt.toISOString()} leave ${fromThousandths(roomInRollingDay(facts.rollingAt, limit.maxDaily, taken))} mg of paracetamol, ` +
    `and ${fromThousandths(next)} ${taper.unit} of ${product} carries ${carried!.amount} mg.`;
  return { remaining: room, limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED', reason } };
}

/** As the record counts them: the drug's pain-plan and as-needed doses, and the paracetamol of combination taper doses. */
function rollingTaken(facts: Pick<LimitFacts, 'drug' | 'intakeOpioids' | 'rollingTaken'>): DrugTaken[] {
  const doses = facts.rollingTaken ?? [];
  const combinations = facts.drug === 'paracetamol' ? (facts.intakeOpioids ?? []) : [];
  return [
    ...doses.filter((d) => d.orderKind !== 'TAPER' && d.drug === facts.drug).map((d) => ({ givenAt: new Date(d.givenAt), amount: Number(d.dose) })),
    ...paracetamolInTaperDoses(taperDoses(facts), combinations),
  ];
}

/** The taper doses given within 24 hours of the list's instant (they may carry paracetamol). */
function taperDoses(facts: Pick<LimitFacts, 'rollingTaken'>): TaperDoseGiven[] {
  return (facts.rollingTaken ?? []).filter((d) => d.orderKind === 'TAPER').map((d) => ({ ...d, givenAt: new Date(d.givenAt), dose: Number(d.dose) }));
}
