/** The baseline's nurses' list of a day: the app's own reader (plain SQL), then the audit rows. */
import { readDosesDue } from '../../src/modules/administrations/doses-due-reader.js';
import { invalid, recordListRead, type Answer, type Context, type Services } from './common.js';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function nursesList(services: Services, context: Context, _id: string | undefined, query: URLSearchParams): Promise<Answer> {
  for (const key of query.keys()) if (key !== 'date') throw invalid(key, 'is not allowed');
  const date = query.get('date');
  const day = date !== null && CALENDAR_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (date === null || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) throw invalid('date', 'must be a calendar date (YYYY-MM-DD)');
  const items = await readDosesDue(async (sql, parameters) => (await services.pool.query(sql, parameters)).rows, date, services.config.clinicTimeZone);
  await recordListRead(services.pool, context, 'taper_doses', items.map((item) => item.patientId), { date });
  return { status: 200, body: { date, items } };
}
