/**
 * The nurses' list held to the patient's limits as the record is (AdministeredOrders): what a
 * pain-plan or as-needed item has left is never more than a dose given now would be accepted, by
 * the same rules on the same figures, and an item the patient's current intake limits says why.
 */
import { PAIN_DRUGS, patientDrugLimit, painDrugRule, riskFactorsOf, type RiskFactor } from '../../clinical/pain-plan.js';
import { patientLimitNotice, roomUnderPatientLimit } from '../../clinical/patient-limit-dose.js';
import { paracetamolInTaperDoses, roomInRollingDay, type CombinationProduct, type DrugTaken } from '../../clinical/rolling-day.js';
import { capitalised } from '../../clinical/pain-words.js';
import { fromThousandths } from '../../clinical/taper-doses.js';
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
  /** The latest intake's medical answers; null for a taper item. */
  medical: (Partial<Record<RiskFactor, unknown>> & { creatinineClearance?: number | null }) | null;
  overridden: readonly { code: string }[] | null;
  intakeOpioids: readonly CombinationProduct[] | null;
  rollingTaken: readonly RollingDose[] | null;
  rollingAt: Date;
}

/** `remaining` (thousandths, by the orders alone) under the patient's limits, and why it is limited. */
export function underPatientLimits(facts: LimitFacts, remaining: number): { remaining: number; limitedBy: DoseLimitedBy | null } {
  const medical = facts.medical;
  const limit = medical ? patientDrugLimit(facts.drug, riskFactorsOf(medical), { creatinineClearance: medical.creatinineClearance ?? null }, (facts.overridden ?? []).map((o) => o.code)) : undefined;
  if (!limit) return { remaining, limitedBy: null };
  const notice = patientLimitNotice(limit, facts.orderedDaily);
  const byDay = Math.min(remaining, roomUnderPatientLimit(limit, [facts.drugGiven]));
  if (!painDrugRule(facts.drug)?.rollingDay) return { remaining: byDay, limitedBy: notice };
  const room = roomInRollingDay(facts.rollingAt, limit.maxDaily, rollingTaken(facts));
  if (room >= byDay) return { remaining: byDay, limitedBy: notice };
  const reason =
    `${capitalised(limit.drug)} is held to ${limit.maxDaily} ${limit.unit} in any 24 hours, counting every source: the doses given around ` +
    `${facts.rollingAt.toISOString()} leave ${fromThousandths(room)} ${limit.unit}.`;
  return { remaining: room, limitedBy: notice ?? { code: limit.code, reason } };
}

/** As the record counts them: the drug's pain-plan and as-needed doses, and the paracetamol of combination taper doses. */
function rollingTaken(facts: LimitFacts): DrugTaken[] {
  const doses = facts.rollingTaken ?? [];
  const combinations = facts.drug === 'paracetamol' ? (facts.intakeOpioids ?? []) : [];
  return [
    ...doses.filter((d) => d.orderKind !== 'TAPER' && d.drug === facts.drug).map((d) => ({ givenAt: new Date(d.givenAt), amount: Number(d.dose) })),
    ...paracetamolInTaperDoses(
      doses.filter((d) => d.orderKind === 'TAPER').map((d) => ({ ...d, givenAt: new Date(d.givenAt), dose: Number(d.dose) })),
      combinations,
    ),
  ];
}
