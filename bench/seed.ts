/**
 * Realistic data, entered through the app's own HTTP API as staff would enter it, so every row
 * (computed findings, taper steps, audit chain) is exactly what the service writes:
 * enquiries (most never admitted), intake assessments, triage, admissions, signed taper orders
 * with their steps (some amended), pain plans, charges, COWS and pain observations, and
 * discharged stays with consent to share (the handoff reads those); for the patients still on the
 * ward, as-needed orders, weekly dispensing and this morning's medication round (seed-medication.ts).
 */
import { cowsItemsTotalling } from '../src/clinical/cows.js';
import { quantumOf } from '../src/clinical/taper-doses.js';
import { atClinicTime, clinicDate, plusDays } from './clinic-time.js';
import type { SeedSize } from './config.js';
import { enterMedicationRound, type WardPatient } from './seed-medication.js';

type Json = Record<string, unknown>;

export interface Staff {
  id: string;
  email: string;
  accessToken: string;
}

export interface StaffSet {
  admin: Staff;
  admissions: Staff;
  psychiatrist: Staff;
  nurse: Staff;
  /** A second nurse, who witnesses the opioid doses the first one gives. */
  witness: Staff;
  billing: Staff;
  aftercare: Staff;
}

export interface SeededData {
  staff: StaffSet;
  enquiryIds: string[];
  assessmentIds: string[];
  activeAdmissionIds: string[];
  dischargedAdmissionIds: string[];
  /** The patients still on the ward, by admission id, with their orders. */
  ward: WardPatient[];
  /** The clinic day of the seed: the nurses' list reads it. */
  today: string;
  /** When the seed ended: every order was written before it. */
  seededAt: Date;
  counts: Record<string, number>;
}

const CONCURRENCY = 6;

/** A small deterministic PRNG: the same data on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Api {
  requests = 0;
  constructor(private readonly baseUrl: string) {}

  async call(method: string, path: string, token: string | null, body?: unknown, expect: number[] = [200, 201]): Promise<Json> {
    this.requests++;
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!expect.includes(response.status)) {
      throw new Error(`Seeding: ${method} ${path} answered ${response.status}, expected ${expect.join('/')}: ${text.slice(0, 800)}`);
    }
    return text ? (JSON.parse(text) as Json) : {};
  }
}

/** Runs `work` over `items`, `limit` at a time, in order of start. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(workers);
}

export async function createStaff(api: Api, admin: { email: string; password: string }): Promise<StaffSet> {
  const signIn = async (email: string, password: string): Promise<Staff> => {
    const login = await api.call('POST', '/auth/login', null, { email, password }, [200]);
    const user = login.user as { id: string };
    return { id: user.id, email, accessToken: String(login.accessToken) };
  };
  const adminStaff = await signIn(admin.email, admin.password);
  const members = await Promise.all(
    (['admissions', 'psychiatrist', 'nurse', 'witness', 'billing', 'aftercare'] as const).map(async (member) => {
      const email = `bench.${member}@clinic.test`;
      const password = `bench-${member}-password`;
      const role = member === 'witness' ? 'nurse' : member;
      await api.call('POST', '/users', adminStaff.accessToken, { email, displayName: `Bench ${member}`, password, roles: [role] }, [201]);
      return [member, await signIn(email, password)] as const;
    }),
  );
  return { admin: adminStaff, ...(Object.fromEntries(members) as Omit<StaffSet, 'admin'>) };
}

const GIVEN = ['Mali', 'Anna', 'Somchai', 'Margaret', 'Lukas', 'Niran', 'Sofia', 'James', 'Ploy', 'Daniel', 'Chloe', 'Arthur', 'Kanya', 'Henrik', 'Ines', 'Tom'];
const FAMILY = ['Srisuk', 'Keller', 'Holloway', 'Jansen', 'Wongsa', 'Meyer', 'Laurent', 'Okafor', 'Nilsson', 'Rossi', 'Tanaka', 'Brennan', 'Dubois', 'Kowalski'];

/** Regimens that triage to a residential pathway, the taper order that follows from each, and how many doses a day the ward gives it in. */
const REGIMENS = [
  {
    opioids: [
      { drug: 'oxycodone', formulation: 'ER', dose: 20, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 62, prescribed: true },
      { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 30, prescribed: true },
    ],
    // The IR doses are folded into the long-acting taper: a rotation of the IR into the ER.
    order: {
      drug: 'oxycodone', formulation: 'ER', startDailyDose: 50, unit: 'mg', unitStrengths: [5, 10], allowHalfTablets: true,
      replaces: { drug: 'oxycodone', formulation: 'IR' }, rotationReason: 'IR doses folded into the ER taper',
    },
    pain: 'CHRONIC_BACK',
    dosesPerDay: 2,
  },
  {
    opioids: [{ drug: 'morphine', formulation: 'ER', dose: 30, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 40, prescribed: true }],
    order: { drug: 'morphine', formulation: 'ER', startDailyDose: 60, unit: 'mg', unitStrengths: [10, 30], allowHalfTablets: true },
    pain: 'POST_SURGICAL',
    dosesPerDay: 2,
  },
  {
    opioids: [{ drug: 'hydromorphone', formulation: 'IR', dose: 4, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 24, prescribed: true }],
    order: { drug: 'hydromorphone', formulation: 'IR', startDailyDose: 16, unit: 'mg', unitStrengths: [2, 4], allowHalfTablets: true },
    pain: 'MOTOR_VEHICLE_ACCIDENT',
    dosesPerDay: 4,
  },
  {
    opioids: [{ drug: 'tramadol', formulation: 'IR', dose: 100, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 18, prescribed: true }],
    order: { drug: 'tramadol', formulation: 'IR', startDailyDose: 300, unit: 'mg', unitStrengths: [50], allowHalfTablets: false },
    pain: 'FIBROMYALGIA',
    dosesPerDay: 3,
  },
  {
    opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 30, prescribed: true }],
    order: { drug: 'oxycodone', formulation: 'IR', startDailyDose: 30, unit: 'mg', unitStrengths: [5], allowHalfTablets: true },
    pain: 'OTHER',
    dosesPerDay: 3,
  },
] as const;

function assessmentBody(rand: () => number, index: number): { body: Json; regimen: (typeof REGIMENS)[number] } {
  const regimen = REGIMENS[index % REGIMENS.length]!;
  const year = 1950 + Math.floor(rand() * 50);
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  const body = {
    patient: {
      givenName: GIVEN[Math.floor(rand() * GIVEN.length)],
      familyName: `${FAMILY[Math.floor(rand() * FAMILY.length)]}-${index}`,
      dateOfBirth: `${year}-${month}-${day}`,
      sex: rand() < 0.5 ? 'female' : 'male',
    },
    opioids: regimen.opioids,
    takenAsPrescribed: rand() < 0.8,
    dsm5: {
      largerOrLonger: rand() < 0.3, cutDownAttempts: true, timeSpent: rand() < 0.3, craving: rand() < 0.4, roleFailure: false, socialProblems: rand() < 0.2,
      activitiesGivenUp: false, hazardousUse: false, useDespiteHarm: rand() < 0.2, tolerance: true, withdrawal: true,
    },
    pain: { condition: regimen.pain, score: 7 + Math.floor(rand() * 3), spreadBeyondOriginalSite: rand() < 0.4, worseBetweenDoses: rand() < 0.5 },
    medical: {
      cardiacDisease: false, respiratoryDisease: false, hepaticImpairment: false, renalImpairment: false, giBleedHistory: false,
      heartFailure: false, anticoagulants: false, pregnant: false, benzodiazepineUse: false, heavyAlcoholUse: rand() < 0.1, seizureHistory: false,
    },
    social: { prescriberWillingToTaper: rand() < 0.7, stableHousehold: rand() < 0.8, failedHomeTaperAttempts: Math.floor(rand() * 3) },
  };
  return { body, regimen };
}

interface Stay {
  enquiryId: string;
  index: number;
  /** Order among the stays (0, 1, 2…), whatever the spacing of their enquiries. */
  ordinal: number;
  admittedOn: string;
  /** null: still in the clinic. */
  dischargedOn: string | null;
  /** Amended (a pause from today) before a discharge today. */
  amended: boolean;
}

/**
 * Enters the data. Enquiries are created one by one (their order of arrival is then the same on
 * every run); everything that follows runs a few requests at a time.
 */
export async function seed(api: Api, staff: StaffSet, size: SeedSize, now = new Date()): Promise<SeededData> {
  const rand = prng(7);
  const today = clinicDate(now);
  const counts: Record<string, number> = {};
  const count = (what: string, n = 1) => (counts[what] = (counts[what] ?? 0) + n);

  const enquiryIds: string[] = [];
  for (let i = 0; i < size.enquiries; i++) {
    const enquiry = await api.call('POST', '/enquiries', staff.admissions.accessToken, {
      contactName: `${GIVEN[i % GIVEN.length]} ${FAMILY[i % FAMILY.length]}`,
      contactPhone: `+66 81 555 ${String(1000 + i).slice(-4)}`,
      relationship: (['SELF', 'FAMILY', 'PROFESSIONAL'] as const)[i % 3],
      source: i % 4 === 0 ? 'GP referral' : 'Website',
      summary: 'Long-term prescribed opioids for chronic pain; wants to come off them under supervision.',
    }, [201]);
    enquiryIds.push(String(enquiry.id));
  }
  count('enquiries', enquiryIds.length);

  // Spread the admitted ones evenly over the order of arrival, so every page of the list mixes
  // enquiries with and without a patient; about one in ten more is assessed only, one in ten closed.
  const stride = size.enquiries / size.admissions;
  const admittedIndexes = new Set(Array.from({ length: size.admissions }, (_, k) => Math.floor(k * stride)));
  const stays: Stay[] = [];
  const assessedOnly: number[] = [];
  const closed: number[] = [];
  enquiryIds.forEach((id, index) => {
    if (admittedIndexes.has(index)) {
      const discharged = stays.length < size.discharged;
      const amended = discharged && stays.length % 2 === 0;
      const stayDays = discharged ? 35 + Math.floor(rand() * 40) : 3 + Math.floor(rand() * 45);
      const admittedOn = plusDays(today, -stayDays);
      const dischargedOn = !discharged ? null : amended ? today : plusDays(today, -Math.floor(rand() * 5));
      stays.push({ enquiryId: id, index, ordinal: stays.length, admittedOn, dischargedOn, amended });
    } else if (index % 10 === 3) assessedOnly.push(index);
    else if (index % 10 === 7) closed.push(index);
  });

  const assessmentIds: string[] = [];
  await inParallel(closed, CONCURRENCY, async (index) => {
    await api.call('POST', `/enquiries/${enquiryIds[index]}/close`, staff.admissions.accessToken, { reason: 'Family chose a clinic nearer home.' }, [200]);
    count('closed enquiries');
  });
  await inParallel(assessedOnly, CONCURRENCY, async (index, k) => {
    const { body } = assessmentBody(prng(1000 + index), index);
    const assessment = await api.call('POST', `/enquiries/${enquiryIds[index]}/assessment`, staff.admissions.accessToken, body, [201]);
    assessmentIds.push(String(assessment.id));
    if (k % 2 === 0) await api.call('POST', `/enquiries/${enquiryIds[index]}/triage`, staff.admissions.accessToken, undefined, [201]);
    count('assessed, not admitted');
  });

  const activeAdmissionIds: string[] = [];
  const dischargedAdmissionIds: string[] = [];
  const ward: WardPatient[] = [];
  await inParallel(stays, CONCURRENCY, async (stay) => {
    const { admissionId, onWard } = await admitAndTreat(api, staff, stay, size, today, now, count, assessmentIds);
    (stay.dischargedOn ? dischargedAdmissionIds : activeAdmissionIds).push(admissionId);
    if (onWard) ward.push(onWard);
  });
  ward.sort((a, b) => a.admissionId.localeCompare(b.admissionId));
  return {
    staff, enquiryIds, assessmentIds: assessmentIds.sort(), activeAdmissionIds: activeAdmissionIds.sort(), dischargedAdmissionIds: dischargedAdmissionIds.sort(),
    ward, today, seededAt: new Date(), counts,
  };
}

async function admitAndTreat(
  api: Api,
  staff: StaffSet,
  stay: Stay,
  size: SeedSize,
  today: string,
  now: Date,
  count: (what: string, n?: number) => void,
  assessmentIds: string[],
): Promise<{ admissionId: string; onWard: WardPatient | null }> {
  const rand = prng(5000 + stay.index);
  const { enquiryId } = stay;
  const clerk = staff.admissions.accessToken;
  const doctor = staff.psychiatrist.accessToken;
  const { body, regimen } = assessmentBody(rand, stay.index);
  // Assessed on the day of admission: a stay starts on or after its intake.
  const assessment = await api.call('POST', `/enquiries/${enquiryId}/assessment`, clerk, { ...body, assessedOn: stay.admittedOn }, [201]);
  assessmentIds.push(String(assessment.id));
  await api.call('POST', `/enquiries/${enquiryId}/triage`, clerk, undefined, [201]);
  const admission = await api.call('POST', `/enquiries/${enquiryId}/admissions`, clerk, { admittedOn: stay.admittedOn }, [201]);
  const admissionId = String(admission.id);
  count('admissions');

  // The taper: drafted and signed the day after admission, 10% of the start dose a week.
  const draft = await api.call('POST', `/admissions/${admissionId}/taper-orders`, doctor, {
    ...regimen.order,
    reductionPercent: 10,
    intervalDays: 7,
    basis: 'START',
    startDate: plusDays(stay.admittedOn, 1),
    targetDailyDose: 0,
  }, [201]);
  const signed = await api.call('POST', `/taper-orders/${draft.id}/sign`, doctor, undefined, [200]);
  count('taper orders');
  if (stay.amended) {
    await api.call('POST', `/taper-orders/${draft.id}/amendments`, doctor, { effectiveFrom: today, pauseDays: 7, reason: 'COWS 14 with broken sleep after the last step; holding the dose for a week.' }, [201]);
    count('taper amendments');
  }

  // Pain plan: paracetamol for all, ibuprofen for about half (a third of those stopped later), therapies.
  // With heavy alcohol use paracetamol is limited to 2 g a day (the app refuses more).
  const heavyAlcohol = (body.medical as { heavyAlcoholUse: boolean }).heavyAlcoholUse;
  const paracetamol = await api.call('POST', `/admissions/${admissionId}/pain-plan/medications`, doctor, { drug: 'paracetamol', dose: heavyAlcohol ? 500 : 1000, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Back pain' }, [201]);
  count('pain medications');
  if (rand() < 0.5) {
    const ibuprofen = await api.call('POST', `/admissions/${admissionId}/pain-plan/medications`, doctor, { drug: 'ibuprofen', dose: 400, unit: 'mg', timesPerDay: 3, route: 'ORAL', indication: 'Joint pain' }, [201]);
    count('pain medications');
    if (rand() < 0.35) await api.call('POST', `/pain-plan/medications/${ibuprofen.id}/discontinue`, doctor, { reason: 'Dyspepsia after three weeks.' }, [200, 201]);
  }
  await api.call('POST', `/admissions/${admissionId}/pain-plan/therapies`, doctor, { type: 'PHYSIOTHERAPY', frequency: '3 times a week', notes: 'Core stabilisation and graded walking.' }, [201]);
  if (rand() < 0.6) await api.call('POST', `/admissions/${admissionId}/pain-plan/therapies`, doctor, { type: 'CBT', frequency: 'weekly', notes: 'CBT for chronic pain.' }, [201]);
  count('pain therapies');

  // Charges: a couple of extras during the stay.
  const lastDay = stay.dischargedOn ?? today;
  const stayDays = Math.max(1, Math.round((Date.parse(lastDay) - Date.parse(stay.admittedOn)) / 86_400_000));
  const chargeDay = (k: number) => plusDays(stay.admittedOn, Math.min(stayDays, 1 + k * 3));
  const charges: Json[] = [
    { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: chargeDay(1) },
    { itemCode: 'PERSONAL_ITEMS', quantity: 1, unitPriceMinor: 45_000 + Math.floor(rand() * 100) * 100, serviceDate: chargeDay(2), description: 'Toiletries and a phone card' },
  ];
  if (rand() < 0.4) charges.push({ itemCode: 'HOSPITAL_TRANSPORT', quantity: 2, serviceDate: chargeDay(3) });
  for (const [k, charge] of charges.entries()) {
    await api.call('POST', `/admissions/${admissionId}/charges`, staff.billing.accessToken, { ...charge, idempotencyKey: `bench-${admissionId}-${k}` }, [201]);
  }
  count('charges', charges.length);

  // Observations over the stay so far: pain scores and COWS readings, a few a day at most.
  const observations = stay.dischargedOn ? size.observationsPerAdmission * 2 : size.observationsPerAdmission;
  const nurse = staff.nurse.accessToken;
  for (let k = 0; k < observations; k++) {
    const dayOffset = Math.floor((k * stayDays) / observations);
    const date = plusDays(stay.admittedOn, dayOffset);
    const minutes = 7 * 60 + ((k * 97) % (14 * 60));
    let recordedAt = atClinicTime(date, minutes);
    if (Date.parse(recordedAt) > now.getTime()) recordedAt = new Date(now.getTime() - (observations - k) * 60_000).toISOString();
    const body =
      k % 3 === 2
        ? { type: 'COWS', recordedAt, items: cowsItemsTotalling(Math.max(0, Math.round(10 - (8 * k) / observations + rand() * 6 - 2))) }
        : { type: 'PAIN', recordedAt, score: Math.max(0, Math.min(10, Math.round(7 - (3 * k) / observations + rand() * 2 - 1))) };
    await api.call('POST', `/admissions/${admissionId}/observations`, nurse, body, [201]);
  }
  count('observations', observations);

  if (stay.dischargedOn) {
    await api.call('POST', `/admissions/${admissionId}/discharge`, staff.aftercare.accessToken, {
      dischargedOn: stay.dischargedOn,
      outsidePrescriber: { name: 'Dr Jonathan Pierce', practice: 'Riverside Family Practice, Leeds', phone: '+44 113 496 0731', email: 'jonathan.pierce@riverside-practice.example' },
      consentToShare: { given: true, recordedOn: stay.dischargedOn },
    }, [201]);
    count('discharged with consent');
    return { admissionId, onWard: null };
  }
  const steps = (signed.steps as { startsOn: string; dailyDose: number }[]).map(({ startsOn, dailyDose }) => ({ startsOn, dailyDose }));
  const { drug, unit, unitStrengths, allowHalfTablets } = regimen.order;
  const onWard = await enterMedicationRound(api, staff, {
    admissionId, ordinal: stay.ordinal, today, now, count, painPlanOrderId: String(paracetamol.id),
    taper: { orderId: String(signed.orderId), drug, unit, strength: unitStrengths[0], quantum: quantumOf({ unitStrengths: [...unitStrengths], allowHalfTablets }), dosesPerDay: regimen.dosesPerDay, steps },
  });
  return { admissionId, onWard };
}
