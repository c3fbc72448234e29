/**
 * The medication side of an active stay, entered through the API as the ward would: as-needed
 * orders for withdrawal symptoms, the taper's drug dispensed week by week from the start of the
 * taper, and this morning's round on the administration record (the taper dose given and
 * witnessed or held, paracetamol and loperamide given to some). The nurses' list reads these; the
 * administration scenario records against the same orders (administration-requests.ts).
 */
import { atClinicTime, clinicDate, plusDays } from './clinic-time.js';
import type { Api, StaffSet } from './seed.js';

export interface TaperStep {
  startsOn: string;
  dailyDose: number;
}

/** What the administration scenario needs to know of one patient on the ward. */
export interface WardPatient {
  admissionId: string;
  /** `quantum`: the smallest dose the strengths make (the smallest strength, or half of it). */
  taper: { orderId: string; unit: string; dosesPerDay: number; quantum: number; steps: TaperStep[] };
  /** The paracetamol order of the pain plan. */
  painPlanOrderId: string;
  /** The loperamide order (every patient has one). */
  asNeededOrderId: string;
  /** The clinic day of this morning's round: the days of the taper before it have no entries yet. */
  roundDay: string;
}

export interface MedicationRound {
  admissionId: string;
  /** Order of the stay in the seed: picks who has which orders and outcomes, the same on every run. */
  ordinal: number;
  today: string;
  now: Date;
  taper: WardPatient['taper'] & { drug: string; strength: number };
  painPlanOrderId: string;
  count: (what: string, n?: number) => void;
}

/** Comfort medicines as needed: loperamide for everyone, ondansetron for half, clonidine (on a COWS of 8) for a third. */
const AS_NEEDED = [
  { every: 1, order: { drug: 'loperamide', dose: 2, minIntervalHours: 4, maxDosesPerDay: 4, indication: 'Diarrhoea of withdrawal' } },
  { every: 2, order: { drug: 'ondansetron', dose: 4, minIntervalHours: 8, maxDosesPerDay: 3, indication: 'Nausea of withdrawal' } },
  { every: 3, order: { drug: 'clonidine', dose: 0.1, minIntervalHours: 6, maxDosesPerDay: 3, indication: 'Sweating and restlessness of withdrawal', cowsThreshold: 8 } },
] as const;

/** Thousandths, as the record counts doses. */
const thousandths = (value: number): number => Math.round(value * 1000);
const fromThousandths = (value: number): number => value / 1000;

/** The taper's daily dose on a day: the last step started on or before it (0 before the first). */
export function dailyDoseOn(steps: readonly TaperStep[], date: string): number {
  let dose = 0;
  for (const step of steps) if (step.startsOn <= date) dose = step.dailyDose;
  return dose;
}

/** One dose of the day: the daily dose split evenly, rounded down to what the tablets make (the parts never add up to more). */
export function doseOf(dailyDose: number, dosesPerDay: number, quantum: number): number {
  const q = thousandths(quantum);
  return fromThousandths(Math.floor(thousandths(dailyDose) / dosesPerDay / q) * q);
}

/** The clock times of a day's doses: twice a day at 08 and 20, three times at 08, 14, 20, four at 06, 12, 18, 22. */
export function doseTimes(dosesPerDay: number): number[] {
  const hours = dosesPerDay === 2 ? [8, 20] : dosesPerDay === 3 ? [8, 14, 20] : [6, 12, 18, 22];
  return hours.map((h) => h * 60);
}

export async function enterMedicationRound(api: Api, staff: StaffSet, round: MedicationRound): Promise<WardPatient> {
  const asNeededOrderId = await orderAsNeeded(api, staff.psychiatrist.accessToken, round);
  await dispenseWeekly(api, staff.nurse.accessToken, round);
  const roundDay = await morningRound(api, staff, round, asNeededOrderId);
  const { orderId, unit, dosesPerDay, quantum, steps } = round.taper;
  return { admissionId: round.admissionId, taper: { orderId, unit, dosesPerDay, quantum, steps }, painPlanOrderId: round.painPlanOrderId, asNeededOrderId, roundDay };
}

/** The comfort medicines of this patient; returns the loperamide order. */
async function orderAsNeeded(api: Api, doctor: string, round: MedicationRound): Promise<string> {
  let loperamide = '';
  for (const { every, order } of AS_NEEDED) {
    if (round.ordinal % every !== 0) continue;
    const created = await api.call('POST', `/admissions/${round.admissionId}/as-needed-orders`, doctor, { ...order, unit: 'mg', route: 'ORAL' }, [201]);
    if (order.drug === 'loperamide') loperamide = String(created.id);
    round.count('as-needed orders');
  }
  return loperamide;
}

/**
 * This morning's taper dose (at its first time of day, or ten minutes ago if that is still to
 * come), witnessed, one patient in ten's held; paracetamol for two in three and loperamide for
 * one in four, given now: those orders were written a moment ago. Returns the clinic day of the round.
 */
async function morningRound(api: Api, staff: StaffSet, round: MedicationRound, asNeededOrderId: string): Promise<string> {
  const { admissionId, ordinal, taper } = round;
  const give = async (body: Record<string, unknown>, key: string) => {
    await api.call('POST', `/admissions/${admissionId}/administrations`, staff.nurse.accessToken, { ...body, unit: 'mg', idempotencyKey: `seed-${admissionId}-${key}` }, [201]);
    round.count('administrations');
  };
  const givenAt = new Date(Math.min(Date.parse(atClinicTime(round.today, doseTimes(taper.dosesPerDay)[0]!)), round.now.getTime() - 10 * 60_000));
  const dose = { orderKind: 'TAPER', orderId: taper.orderId, dose: doseOf(dailyDoseOn(taper.steps, round.today), taper.dosesPerDay, taper.quantum), givenAt: givenAt.toISOString() };
  await give(
    ordinal % 10 === 4 ? { ...dose, outcome: 'HELD', reason: 'Drowsy, respiratory rate 10; psychiatrist informed.' } : { ...dose, outcome: 'GIVEN', witnessId: staff.witness.id },
    'taper',
  );
  if (ordinal % 3 !== 2) await give({ orderKind: 'PAIN_PLAN', orderId: round.painPlanOrderId, dose: 500, givenAt: new Date().toISOString(), outcome: 'GIVEN' }, 'paracetamol');
  if (ordinal % 4 === 1) await give({ orderKind: 'AS_NEEDED', orderId: asNeededOrderId, dose: 2, givenAt: new Date().toISOString(), outcome: 'GIVEN' }, 'loperamide');
  return clinicDate(givenAt);
}

/**
 * The taper's drug, a week of the schedule at a time from the first day of the taper, in tablets
 * of its lowest strength, whole or in halves as the order allows (the API takes nothing finer):
 * every dose is a multiple of the order's quantum, so a week's need is a whole number of quanta
 * and what is dispensed is exactly what the schedule gives; the record's stock check finds no
 * shortfall. The seed records no doses for the past days (the benchmark gives them), so the stock
 * on hand looks like weeks of supply: from the second week on, each dispensation carries the
 * reason the API asks for then.
 */
async function dispenseWeekly(api: Api, nurse: string, round: MedicationRound): Promise<void> {
  const { taper } = round;
  const start = taper.steps[0]!.startsOn;
  for (let week = 0; plusDays(start, 7 * week) <= round.today; week++) {
    const from = plusDays(start, 7 * week);
    const need = Array.from({ length: 7 }, (_, d) => thousandths(dailyDoseOn(taper.steps, plusDays(from, d)))).reduce((a, b) => a + b, 0);
    // Quanta of the week × tablets per quantum (1, or 0.5 where halves are allowed).
    const quantity = (Math.floor(need / thousandths(taper.quantum)) * thousandths(taper.quantum)) / thousandths(taper.strength);
    if (quantity <= 0) break;
    await api.call('POST', `/admissions/${round.admissionId}/dispensations`, nurse, {
      drug: taper.drug, strength: taper.strength, unit: taper.unit, quantity, dispensedOn: from, idempotencyKey: `seed-${round.admissionId}-week-${week}`,
      ...(week > 0 ? { overrideReason: 'Past doses to be entered on the record.' } : {}),
    }, [201]);
    round.count('dispensations');
  }
}
