/**
 * The requests of the "record an administration" scenario: POST /admissions/:id/administrations
 * as a nurse, every one of them accepted (201) however many the run sends, none a replay (each
 * has its own idempotency key).
 *
 * The mix, in turn: a taper dose GIVEN and witnessed by a second nurse (the full path: the
 * order's schedule, the day's doses, the witness, the stock), a taper dose HELD, a paracetamol
 * dose REFUSED and a loperamide dose REFUSED, each with its reason.
 *
 * Why only one in four given: a GIVEN taper dose counts toward its day's scheduled dose, so the
 * doses given may never add up to more than the day's schedule. They come from a plan of the
 * ward's taper doses on the days of each stay before this morning's round (which the seed
 * entered): each day of the schedule split into its 2, 3 or 4 doses (seed.ts, REGIMENS), each
 * given once. At the full seed (180 patients on the ward, stays of 3 to 47 days) the plan holds
 * about 9,500 doses, at the quick seed about 1,500; a full run on 2 cores sends 15,000 to 35,000
 * requests over its checks, warm-ups and rounds, a quick run 1,000 to 3,000, so one in four
 * leaves room to spare. A dose not given counts toward no limit and needs no witness: those can
 * be drawn without end. Should a faster machine use up the plan, the GIVEN doses left become
 * HELD ones (still accepted) and the run says so under its table. Doses are entered for the past
 * days of the stay, as a ward catching up its record would: the checks and statements are those
 * of this morning's dose.
 *
 * Requests go round the ward: the plan interleaves the patients, each one's doses spread evenly
 * over it, so the 50 requests in flight lock 50 different admissions, not one.
 *
 * The paracetamol and loperamide orders were written during the seed, so their entries are made
 * at its end (an order counts from when it was written). The stock check finds no shortfall: the
 * seed dispensed every week of each taper.
 */
import { atClinicTime, plusDays } from './clinic-time.js';
import type { RequestSource, ScenarioRequest } from './scenarios.js';
import { dailyDoseOn, doseOf, doseTimes, type WardPatient } from './seed-medication.js';

const API = '/api/v1';

type Kind = 'GIVEN' | 'HELD' | 'PAIN_PLAN_REFUSED' | 'AS_NEEDED_REFUSED';
const CYCLE: readonly Kind[] = ['GIVEN', 'HELD', 'PAIN_PLAN_REFUSED', 'AS_NEEDED_REFUSED'];

/** One taper dose of the plan: a patient's dose on a day at a time. */
interface Dose {
  patient: WardPatient;
  day: string;
  minutes: number;
  dose: number;
}

/** Every taper dose of the patient's days before this morning's round, in order of day and time. */
function plannedDoses(patient: WardPatient): Dose[] {
  const doses: Dose[] = [];
  const { steps, dosesPerDay, quantum } = patient.taper;
  for (let day = steps[0]!.startsOn; day < patient.roundDay; day = plusDays(day, 1)) {
    const dose = doseOf(dailyDoseOn(steps, day), dosesPerDay, quantum);
    if (dose <= 0) continue;
    for (const minutes of doseTimes(dosesPerDay)) doses.push({ patient, day, minutes, dose });
  }
  return doses;
}

/**
 * The patients' doses in one sequence, each patient's spread evenly over it (by the fraction of
 * their own doses done), so that any stretch of the sequence goes round the whole ward.
 */
function interleave(perPatient: Dose[][]): Dose[] {
  const keyed = perPatient.flatMap((doses, p) => doses.map((dose, j) => ({ dose, at: (j + 0.5) / doses.length, p })));
  keyed.sort((a, b) => a.at - b.at || a.p - b.p);
  return keyed.map((k) => k.dose);
}

const HELD_REASON = 'Drowsy, respiratory rate 10; psychiatrist informed.';

/** The scenario's requests, drawn in turn (see the top of the file). */
class AdministrationRequests implements RequestSource {
  private readonly perPatient: Dose[][];
  private plan: Dose[];
  /** The next dose of the plan to give. */
  private planned = 0;
  private key = 0;
  private drawn = 0;
  private twinsDrawn = 0;
  /** Requests sent of each kind, and the GIVEN ones turned into HELD for want of plan. */
  private readonly sent: Record<Kind, number> = { GIVEN: 0, HELD: 0, PAIN_PLAN_REFUSED: 0, AS_NEEDED_REFUSED: 0 };
  private turned = 0;
  private readonly afterSeed: string;

  constructor(
    private readonly ward: readonly WardPatient[],
    seededAt: Date,
    private readonly witnessId: string,
  ) {
    if (ward.length === 0) throw new Error('The administration scenario needs patients on the ward.');
    this.perPatient = ward.map(plannedDoses);
    this.plan = interleave(this.perPatient);
    this.afterSeed = seededAt.toISOString();
  }

  next(): ScenarioRequest {
    const kind = CYCLE[this.drawn++ % CYCLE.length]!;
    this.sent[kind]++;
    if (kind !== 'GIVEN') return this.request(...this.notGiven(kind, this.sent[kind]));
    const dose = this.plan[this.planned++];
    if (dose) return this.request(dose.patient, this.taper(dose, 'GIVEN'));
    this.turned++;
    return this.request(...this.notGiven('HELD', this.sent.HELD + this.turned));
  }

  twins(): [ScenarioRequest, ScenarioRequest] {
    const kind = CYCLE[this.twinsDrawn++ % CYCLE.length]!;
    this.sent[kind] += 2;
    if (kind !== 'GIVEN') {
      const [patient, entry] = this.notGiven(kind, this.sent[kind]);
      return [this.request(patient, entry), this.request(patient, entry)];
    }
    // Twice the next dose of the plan (every day has two doses or more): the other doses of that
    // patient's day leave the plan.
    const dose = this.plan[this.planned++]!;
    this.plan = [...this.plan.slice(0, this.planned), ...this.plan.slice(this.planned).filter((d) => d.patient !== dose.patient || d.day !== dose.day)];
    return [this.request(dose.patient, this.taper(dose, 'GIVEN')), this.request(dose.patient, this.taper(dose, 'GIVEN'))];
  }

  summary(): { text: string; short: boolean } {
    const { GIVEN, HELD, PAIN_PLAN_REFUSED, AS_NEEDED_REFUSED } = this.sent;
    const turned = this.turned > 0 ? `; ${this.turned} meant to be given were held instead: the plan ran out` : '';
    return {
      text: `${this.drawn + 2 * this.twinsDrawn} sent: ${GIVEN - this.turned} taper doses given of the ${this.plan.length} the plan held, ${HELD + this.turned} held, ${PAIN_PLAN_REFUSED + AS_NEEDED_REFUSED} refused${turned}`,
      short: this.turned > 0,
    };
  }

  private request(patient: WardPatient, body: Record<string, unknown>): ScenarioRequest {
    return { method: 'POST', path: `${API}/admissions/${patient.admissionId}/administrations`, body: JSON.stringify({ ...body, idempotencyKey: `bench-${this.key++}` }) };
  }

  private taper(d: Dose, outcome: 'GIVEN' | 'HELD'): Record<string, unknown> {
    const { orderId, unit } = d.patient.taper;
    const entry = { orderKind: 'TAPER', orderId, dose: d.dose, unit, givenAt: atClinicTime(d.day, d.minutes), outcome };
    return outcome === 'GIVEN' ? { ...entry, witnessId: this.witnessId } : { ...entry, reason: HELD_REASON };
  }

  /** The `n`th dose not given of its kind: each kind goes round the ward's patients in turn. */
  private notGiven(kind: Exclude<Kind, 'GIVEN'>, n: number): [WardPatient, Record<string, unknown>] {
    const patient = this.ward[n % this.ward.length]!;
    if (kind === 'PAIN_PLAN_REFUSED') return [patient, { orderKind: 'PAIN_PLAN', orderId: patient.painPlanOrderId, dose: 500, unit: 'mg', givenAt: this.afterSeed, outcome: 'REFUSED', reason: 'Pain 2/10; declined.' }];
    if (kind === 'AS_NEEDED_REFUSED') return [patient, { orderKind: 'AS_NEEDED', orderId: patient.asNeededOrderId, dose: 2, unit: 'mg', givenAt: this.afterSeed, outcome: 'REFUSED', reason: 'No loose stools since the morning; declined.' }];
    // One of the patient's doses before the round, the latest first.
    const doses = this.perPatient[n % this.ward.length]!;
    return [patient, this.taper(doses[doses.length - 1 - (Math.floor(n / this.ward.length) % doses.length)]!, 'HELD')];
  }
}

export function administrationRequests(ward: readonly WardPatient[], seededAt: Date, witnessId: string): RequestSource {
  return new AdministrationRequests(ward, seededAt, witnessId);
}
