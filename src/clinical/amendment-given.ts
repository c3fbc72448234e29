/**
 * An amendment meets what the administration record already holds (domain.md §7, §8a): on no day
 * from its effective date may it give less than the record shows taken that day, or the record
 * would hold a day above its own schedule. For a tablet that is today's doses; for a patch, every
 * day a patch already applied is still on (patchDaysWorn). The day after the last is always open.
 */
import { givenPerDay, type TaperDoseEntry } from './administration-history.js';
import { addDays } from './calendar-dates.js';
import { ClinicalRuleError } from './clinical-error.js';
import { doseTakenOn, type VersionSchedule } from './taper-day.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

export function checkAmendmentAgainstGiven(amended: VersionSchedule, change: { effectiveFrom: string; unit: string }, taken: readonly TaperDoseEntry[]): void {
  const perDay = [...givenPerDay(taken)].filter(([day]) => day >= change.effectiveFrom).sort(([a], [b]) => a.localeCompare(b));
  const lastDay = perDay.at(-1)?.[0];
  for (const [day, given] of perDay) {
    const scheduled = doseTakenOn(amended, day);
    if (scheduled === null || given <= (thousandthsOrNull(scheduled) ?? 0)) continue;
    throw new ClinicalRuleError(
      'DOSE_ALREADY_GIVEN',
      `The administration record already holds ${fromThousandths(given)} ${change.unit} of this taper on ${day}; the amended schedule gives ${scheduled} ${change.unit} that day. ` +
        `Make the amendment effective from ${addDays(lastDay!, 1)}.`,
      'effectiveFrom',
    );
  }
}
