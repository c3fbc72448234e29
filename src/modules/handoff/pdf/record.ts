/**
 * The handoff PDF's "doses actually given" for one taper (domain.md §8a): the adherence line and
 * a table of the runs of days with the same dose given, with the days nothing was given between
 * them (held, refused, omitted, not recorded), so a break in the record shows where it happened.
 */
import { addDays } from '../../../clinical/calendar-dates.js';
import { dayCount, formatDate, withPrintedDates } from '../../../common/pdf/display-format.js';
import { FONT } from '../../../common/pdf/pdf-style.js';
import { NONE, perDay } from './format.js';
import { paragraph, type Layout } from './layout.js';
import { col, table, type Row } from './tables.js';
import type { HandoffTaper } from '../handoff-summary.js';

const COLUMNS = [col('Dose given each day', 0), col('From', 70), col('To', 70), col('Days', 44, 'right'), col('Note', 130)];

export function drawDosesGiven(layout: Layout, taper: HandoffTaper): void {
  paragraph(layout, `Doses actually given (administration record): ${withPrintedDates(taper.adherence)}`, { size: 9, font: FONT.bold });
  const empty = `${NONE}: no dose of this taper was given.`;
  table(layout, { title: 'Steps actually taken', cols: COLUMNS, rows: recordRows(taper), empty });
}

interface Stretch {
  firstDay: string;
  lastDay: string;
  days: number;
  cells: [string, string];
}

/** The runs and the stretches of days with nothing given, in date order. */
function recordRows(taper: HandoffTaper): Row[] {
  const runs: Stretch[] = taper.dosesGiven.map((run) => {
    const notes = [run.partial ? 'discharge day, partial' : '', partDayNote(taper, run.firstDay, run.lastDay)].filter(Boolean);
    return { ...run, cells: [perDay(run.dailyDose, taper.unit), notes.join('; ')] };
  });
  const stretches = [...runs, ...nothingGiven(taper, new Set(runs.flatMap((r) => daysOf(r.firstDay, r.days))))];
  return stretches
    .sort((a, b) => a.firstDay.localeCompare(b.firstDay))
    .map((s) => ({ cells: [s.cells[0], formatDate(s.firstDay), formatDate(s.lastDay), dayCount(s.days), s.cells[1]] }));
}

/** Days with nothing given, consecutive days of the same kind together ("held", "refused", "not recorded"). */
function nothingGiven(taper: HandoffTaper, given: Set<string>): Stretch[] {
  const kinds = new Map<string, string[]>();
  const mark = (days: string[], kind: string) => days.filter((d) => !given.has(d)).forEach((d) => kinds.set(d, [...(kinds.get(d) ?? []), kind]));
  mark(taper.daysHeld, 'held');
  mark(taper.daysRefused, 'refused');
  mark(taper.daysOmitted, 'omitted');
  mark(taper.daysNotRecorded, 'not recorded');
  const stretches: Stretch[] = [];
  for (const day of [...kinds.keys()].sort()) {
    const kind = (kinds.get(day) ?? []).join(', ');
    const last = stretches.at(-1);
    if (last && last.cells[1] === kind && addDays(last.lastDay, 1) === day) Object.assign(last, { lastDay: day, days: last.days + 1 });
    else stretches.push({ firstDay: day, lastDay: day, days: 1, cells: ['Nothing given', kind] });
  }
  return stretches;
}

/** A run that includes a day on which a dose was also held, refused or omitted says so. */
function partDayNote(taper: HandoffTaper, firstDay: string, lastDay: string): string {
  const within = (days: string[]) => days.filter((d) => d >= firstDay && d <= lastDay).map(formatDate);
  const notes = [['held', within(taper.daysHeld)], ['refused', within(taper.daysRefused)], ['omitted', within(taper.daysOmitted)]] as const;
  return notes
    .filter(([, days]) => days.length > 0)
    .map(([kind, days]) => `a dose ${kind} ${days.join(', ')}`)
    .join('; ');
}

function daysOf(firstDay: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(firstDay, i));
}
