/** What the PDF says of a patch given last: it is still worn after it was applied (domain.md §7). */
import { formatDate } from '../../../common/pdf/display-format.js';
import { clinicClock } from '../clinic-time.js';
import { formatNumber } from './format.js';
import type { HandoffOpioidDose } from '../handoff-summary.js';

/**
 * "The patch is still on at discharge: worn 72 hours, it comes off on 8 Dec 2026 at 12:30. Next
 * patch due then: 37.5 mcg/h, by the taper's schedule; not before." On the clinic's clock; empty
 * for a dose by mouth.
 */
export function patchText(dose: HandoffOpioidDose, dischargedOn: string, timeZone: string): string {
  if (dose.onUntil === null) return '';
  const hours = Math.round((Date.parse(dose.onUntil) - Date.parse(dose.givenAt)) / 3_600_000);
  const off = clinicClock(dose.onUntil, timeZone);
  const when = `${formatDate(off.date)} at ${off.time}`;
  const worn =
    off.date > dischargedOn
      ? `The patch is still on at discharge: worn ${hours} hours, it comes off on ${when}.`
      : off.date === dischargedOn
        ? `Worn ${hours} hours, this patch comes off on the day of discharge, ${when}.`
        : `Worn ${hours} hours, this patch came off on ${when}.`;
  const next = dose.nextPatch;
  if (next === null) return worn;
  if (next.dose === 0) return `${worn} No new patch then: the taper stops.`;
  return `${worn} Next patch due then: ${formatNumber(next.dose)} ${dose.unit}, by the taper's schedule; not before.`;
}
