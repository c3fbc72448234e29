/**
 * An amendment that takes effect today meets the doses already given today (domain.md §7, §8a):
 * it may not give less today than the administration record shows given under the version it
 * replaces, or the record would hold a day above its own schedule. Tomorrow is always open.
 */
import { addDays } from './calendar-dates.js';
import { ClinicalRuleError } from './clinical-error.js';
import { doseTakenOn, type VersionSchedule } from './taper-day.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

export function checkAmendmentAgainstGiven(
  amended: VersionSchedule,
  change: { effectiveFrom: string; today: string; unit: string },
  givenToday: readonly number[],
): void {
  if (change.effectiveFrom !== change.today || givenToday.length === 0) return;
  const scheduled = doseTakenOn(amended, change.today);
  if (scheduled === null) return;
  const given = givenToday.reduce((total, dose) => total + (thousandthsOrNull(dose) ?? 0), 0);
  if (given <= (thousandthsOrNull(scheduled) ?? 0)) return;
  throw new ClinicalRuleError(
    'DOSE_ALREADY_GIVEN',
    `${fromThousandths(given)} ${change.unit} of this taper was already given today (${change.today}); the amended schedule gives ${scheduled} ${change.unit} today. ` +
      `Make the amendment effective from ${addDays(change.today, 1)}.`,
    'effectiveFrom',
  );
}
