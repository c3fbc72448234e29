/**
 * What an override reason covers (domain.md §9: "422 unless an override reason is given"). The
 * prescriber who writes an order past a refusal weighed that finding: a kidney row, or the risk
 * factors named. A later finding with the same code can be worse (a lower kidney row) or another
 * one (renal impairment beside the anticoagulants overridden); the reason does not cover it. The
 * one rule the dose given, the nurses' list and an intake correction's review all read. Pure.
 */
import { RISK_FACTOR_WORDS, type RiskFactor } from './pain-drugs.js';
import { listOf } from './pain-words.js';

/**
 * What a refusal found, in a form that can be compared later: the limit a day it holds the drug
 * to (a kidney row, the drug's limit below an override band), and the risk factors that rule the
 * drug out. Stored with the override; empty for a refusal that has neither.
 */
export interface RefusalFinding {
  limit?: number;
  factors?: string[];
}

/** A refusal an order was written past, as the order stores it. Orders written before findings were stored have none. */
export interface OverriddenRefusal {
  code: string;
  message: string;
  finding?: RefusalFinding;
}

/** A refusal the order meets as the record stands now; `message` null when the order's own dose is within the finding. */
export interface FindingNow {
  code: string;
  finding: RefusalFinding;
  message: string | null;
}

/**
 * True when one of the order's overrides covers the finding now: the same code, and a finding no
 * worse — a limit no lower than the one overridden, no risk factor beyond those it was given for.
 * An override stored without a finding (an order written before they were stored) covers only the
 * very refusal it was given for: the same code and, word for word, the same message as the order
 * meets now; anything else is treated as a new finding, the safe reading.
 */
export function overrideCovers(overridden: readonly OverriddenRefusal[], now: FindingNow): boolean {
  return overridden.some((o) => o.code === now.code && (o.finding === undefined ? now.message !== null && o.message === now.message : noWorse(o.finding, now.finding)));
}

function noWorse(weighed: RefusalFinding, now: RefusalFinding): boolean {
  if (now.limit !== undefined && (weighed.limit === undefined || now.limit < weighed.limit)) return false;
  if (now.factors !== undefined && !now.factors.every((f) => weighed.factors?.includes(f))) return false;
  return true;
}

/**
 * Why an override of the same code on the order does not cover the finding now, in words: "the
 * order's override reason was given for a limit of 1400 mg/day" or "for anticoagulant use". Empty
 * when the order has no override of that code.
 */
export function overrideNotCovering(overridden: readonly OverriddenRefusal[], code: string, unit: string): string {
  const same = overridden.find((o) => o.code === code);
  if (!same) return '';
  return ` The override reason on the order was given for ${weighedText(same, unit)}, not for this.`;
}

function weighedText(o: OverriddenRefusal, unit: string): string {
  const parts = [
    ...(o.finding?.limit !== undefined ? [`a limit of ${o.finding.limit} ${unit}/day`] : []),
    ...(o.finding?.factors?.length ? [listOf(o.finding.factors.map((f) => RISK_FACTOR_WORDS[f as RiskFactor] ?? f))] : []),
  ];
  return parts.length > 0 ? parts.join(' with ') : `"${o.message.replace(/\.$/, '')}"`;
}
