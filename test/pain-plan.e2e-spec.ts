import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { addDays } from '../src/clinical/calendar-dates.js';
import type { Bundle, MedicationRequest } from '@medplum/fhirtypes';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { readingBytes } from './support/responses.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { recordStatements } from './support/sql-statements.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const ADMISSIONS = `${API}/admissions`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const REASON = 'Short course agreed with the patient; renal function checked weekly.';

type Json = Record<string, unknown>;
type Medical = Partial<Record<'cardiacDisease' | 'respiratoryDisease' | 'hepaticImpairment' | 'renalImpairment' | 'giBleedHistory' | 'heartFailure' | 'anticoagulants' | 'benzodiazepineUse' | 'heavyAlcoholUse', boolean>>;

/** A medication order body: mg by mouth, or lidocaine patches on the skin. */
const med = (drug: string, dose: number, timesPerDay: number, extra: Json = {}): Json =>
  drug === 'lidocaine'
    ? { drug, dose, unit: 'patch', timesPerDay, route: 'TOPICAL', ...extra }
    : { drug, dose, unit: 'mg', timesPerDay, route: 'ORAL', ...extra };

type Outcome = { accept: [dailyDose: number, maxDailyDose: number] } | { refuse: string; overridable: boolean };
const ok = (dailyDose: number, maxDailyDose: number): Outcome => ({ accept: [dailyDose, maxDailyDose] });
const never: Outcome = { refuse: 'MAX_DAILY_DOSE_EXCEEDED', overridable: false };
const withOverride: Outcome = { refuse: 'MAX_DAILY_DOSE_EXCEEDED', overridable: true };

/** domain.md §9, each limit at and just over its edge. */
const LIMITS: [string, Medical, Json, Outcome][] = [
  ['paracetamol 1000 mg × 4 = 4000 (the limit)', {}, med('paracetamol', 1000, 4), ok(4000, 4000)],
  ['paracetamol 1000 mg × 5 = 5000', {}, med('paracetamol', 1000, 5), never],
  ['paracetamol 800.001 mg × 5 = 4000.005', {}, med('paracetamol', 800.001, 5), never],
  ['paracetamol 500 mg × 4 = 2000 with hepatic impairment', { hepaticImpairment: true }, med('paracetamol', 500, 4), ok(2000, 2000)],
  ['paracetamol 1000 mg × 3 = 3000 with hepatic impairment', { hepaticImpairment: true }, med('paracetamol', 1000, 3), never],
  ['paracetamol 500 mg × 4 = 2000 with heavy alcohol use', { heavyAlcoholUse: true }, med('paracetamol', 500, 4), ok(2000, 2000)],
  ['paracetamol 667 mg × 3 = 2001 with heavy alcohol use', { heavyAlcoholUse: true }, med('paracetamol', 667, 3), never],
  ['ibuprofen 600 mg × 4 = 2400 (the limit)', {}, med('ibuprofen', 600, 4), ok(2400, 2400)],
  ['ibuprofen 700 mg × 4 = 2800 (override band)', {}, med('ibuprofen', 700, 4), withOverride],
  ['ibuprofen 800 mg × 4 = 3200 (top of the override band)', {}, med('ibuprofen', 800, 4), withOverride],
  ['ibuprofen 800 mg × 5 = 4000 (over the absolute maximum)', {}, med('ibuprofen', 800, 5), never],
  ['ibuprofen 640.2 mg × 5 = 3201', {}, med('ibuprofen', 640.2, 5), never],
  ['naproxen 500 mg × 2 = 1000 (the limit)', {}, med('naproxen', 500, 2), ok(1000, 1000)],
  ['naproxen 500 mg × 3 = 1500 (short course, override band)', {}, med('naproxen', 500, 3), withOverride],
  ['naproxen 375.25 mg × 4 = 1501', {}, med('naproxen', 375.25, 4), never],
  ['diclofenac 50 mg × 3 = 150 (the limit)', {}, med('diclofenac', 50, 3), ok(150, 150)],
  ['diclofenac 75 mg × 3 = 225', {}, med('diclofenac', 75, 3), never],
  ['diclofenac 50.001 mg × 3 = 150.003', {}, med('diclofenac', 50.001, 3), never],
  ['celecoxib 200 mg × 2 = 400 (the limit)', {}, med('celecoxib', 200, 2), ok(400, 400)],
  ['celecoxib 134 mg × 3 = 402', {}, med('celecoxib', 134, 3), never],
  ['celecoxib 100 mg × 2 = 200 with hepatic impairment (halved)', { hepaticImpairment: true }, med('celecoxib', 100, 2), ok(200, 200)],
  ['celecoxib 200 mg × 2 = 400 with hepatic impairment', { hepaticImpairment: true }, med('celecoxib', 200, 2), never],
  ['duloxetine 60 mg × 1 (the limit)', {}, med('duloxetine', 60, 1), ok(60, 60)],
  ['duloxetine 30.5 mg × 2 = 61', {}, med('duloxetine', 30.5, 2), never],
  ['amitriptyline 75 mg × 1 (the limit)', {}, med('amitriptyline', 75, 1), ok(75, 75)],
  ['amitriptyline 19 mg × 4 = 76', {}, med('amitriptyline', 19, 4), never],
  ['nortriptyline 25 mg × 3 = 75 (the limit)', {}, med('nortriptyline', 25, 3), ok(75, 75)],
  ['nortriptyline 38 mg × 2 = 76', {}, med('nortriptyline', 38, 2), never],
  ['gabapentin 1200 mg × 3 = 3600 (the limit)', {}, med('gabapentin', 1200, 3), ok(3600, 3600)],
  ['gabapentin 900.25 mg × 4 = 3601', {}, med('gabapentin', 900.25, 4), never],
  ['pregabalin 300 mg × 2 = 600 (the limit)', {}, med('pregabalin', 300, 2), ok(600, 600)],
  ['pregabalin 150.25 mg × 4 = 601', {}, med('pregabalin', 150.25, 4), never],
  ['lidocaine 3 patches (the limit)', {}, med('lidocaine', 3, 1), ok(3, 3)],
];

const NSAID_CONTRAINDICATIONS: [keyof Medical, string][] = [
  ['renalImpairment', 'renal impairment'],
  ['giBleedHistory', 'a history of GI bleeding or ulcer'],
  ['heartFailure', 'heart failure'],
  ['cardiacDisease', 'significant cardiac disease'],
  ['anticoagulants', 'anticoagulant use'],
];

const THERAPY_TYPES = ['PHYSIOTHERAPY', 'MOVEMENT', 'SLEEP', 'CBT', 'ACCEPTANCE', 'INTERVENTIONAL'] as const;

describe('pain plan', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;
  let billing: Staff;
  let aftercare: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, admissions: clerk, psychiatrist, nurse, billing, aftercare } = await staffForEveryRole(t));
  });
  afterAll(async () => {
    await t.close();
  });

  /** A patient admitted on 2026-11-01 with these intake medical answers (everything else as the example order's intake). */
  const admit = (medical: Medical = {}) => admitPatient(t, clerk, exampleIntakeBody({ medical }), '2026-11-01');

  const order = (admissionId: string, body: Json, as: Staff = psychiatrist) =>
    t.http.post(`${ADMISSIONS}/${admissionId}/pain-plan/medications`).set(bearer(as)).send(body);
  const discontinue = (id: string, body: Json = { reason: 'Pain controlled.' }, as: Staff = psychiatrist) =>
    t.http.post(`${API}/pain-plan/medications/${id}/discontinue`).set(bearer(as)).send(body);
  const addTherapy = (admissionId: string, body: Json, as: Staff = psychiatrist) =>
    t.http.post(`${ADMISSIONS}/${admissionId}/pain-plan/therapies`).set(bearer(as)).send(body);
  const plan = (admissionId: string, as: Staff = nurse) => t.http.get(`${ADMISSIONS}/${admissionId}/pain-plan`).set(bearer(as));

  const medicationsOf = async (admissionId: string): Promise<Json[]> =>
    (await t.admin.query('SELECT drug, status, override_reason, overridden FROM pain_medications WHERE admission_id = $1 ORDER BY created_at', [admissionId])).rows;
  const therapyCount = async (admissionId: string): Promise<number> =>
    (await t.admin.query('SELECT count(*)::int AS n FROM pain_therapies WHERE admission_id = $1', [admissionId])).rows[0].n;

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, outcome, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  /** An oxycodone taper for the admission (the intake opioid), signed unless `sign` is false; its draft's body. */
  async function signedTaper(admissionId: string, sign = true, changes: Json = {}): Promise<Json> {
    const draft = await t.http
      .post(`${ADMISSIONS}/${admissionId}/taper-orders`)
      .set(bearer(psychiatrist))
      .send(apiExampleOrder({ startDate: '2026-11-01', ...changes }))
      .expect(201);
    if (sign) await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
    return draft.body;
  }

  /** A signed taper of the intake opioid whose last step, zero, is in force from `endsOn` on (a large first cut, on purpose). */
  const taperedToZero = (admissionId: string) =>
    signedTaper(admissionId, true, { startDailyDose: 5, unitStrengths: [5], allowHalfTablets: false, overrideReason: 'Only the last tablet of the taper is left' });

  /** Runs `action` with the clinic's clock moved to `date`, then puts it back. */
  async function on<T>(date: string, action: () => Promise<T>): Promise<T> {
    const shift = Date.parse(`${date}T12:00:00Z`) - t.clock.now().getTime();
    t.clock.advance(shift);
    try {
      return await action();
    } finally {
      t.clock.advance(-shift);
    }
  }

  /** A 422 refusal, with every refusal in `details`, that wrote nothing. */
  async function expectRefused(response: Response, admissionId: string, code: string, refusals: { code: string; overridable: boolean; field?: string }[]): Promise<void> {
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ statusCode: 422, code });
    expect(response.body.details).toEqual(
      refusals.map((r) => ({ field: r.field ?? expect.any(String), reason: expect.any(String), code: r.code, overridable: r.overridable })),
    );
    expect(response.body.message).toBe(response.body.details.find((d: Json) => d.code === code).reason);
    expect(await auditOf(response)).toEqual([]);
    expect(await medicationsOf(admissionId)).toEqual([]);
  }

  describe('medication orders', () => {
    it('records an order and answers with the whole medication, audited with the patient id', async () => {
      const { admissionId, patientId } = await admit();
      const response = await order(admissionId, med('ibuprofen', 400, 3, { indication: '  Post-operative knee pain  ' })).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        status: 'ACTIVE',
        drug: 'ibuprofen',
        dose: 400,
        unit: 'mg',
        timesPerDay: 3,
        route: 'ORAL',
        indication: 'Post-operative knee pain',
        dailyDose: 1200,
        maxDailyDose: 2400,
        warnings: [],
        overridden: [],
        overrideReason: null,
        orderedBy: psychiatrist.id,
        createdAt: expect.any(String),
        discontinuedAt: null,
        discontinuedBy: null,
        discontinueReason: null,
      });
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(await auditOf(response)).toEqual([
        {
          actor_id: psychiatrist.id, action: 'CREATE', resource: 'pain_medication', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS',
          detail: { drug: 'ibuprofen', overridden: [], warnings: [] },
        },
      ]);
      const stored = await t.admin.query('SELECT dose, daily_dose, max_daily_dose, status, ordered_by FROM pain_medications WHERE id = $1', [response.body.id]);
      expect(stored.rows[0]).toEqual({ dose: '400.000', daily_dose: '1200.000', max_daily_dose: '2400.000', status: 'ACTIVE', ordered_by: psychiatrist.id });
    });

    it('reads the drug in any case and with spaces, and stores its code; 3 decimals are kept exactly', async () => {
      const { admissionId } = await admit();
      const response = await order(admissionId, med('  Paracetamol ', 333.333, 3)).expect(201);
      expect(response.body).toMatchObject({ drug: 'paracetamol', dose: 333.333, dailyDose: 999.999, maxDailyDose: 4000, indication: null });
    });

    it('accepts the lidocaine patch transdermally too', async () => {
      const { admissionId } = await admit();
      const response = await order(admissionId, med('lidocaine', 2, 1, { route: 'TRANSDERMAL' })).expect(201);
      expect(response.body).toMatchObject({ drug: 'lidocaine', unit: 'patch', route: 'TRANSDERMAL', dailyDose: 2, maxDailyDose: 3 });
    });

    describe('daily limits (domain.md §9)', () => {
      it.each(LIMITS)('%s', async (_, medical, body, outcome) => {
        const { admissionId } = await admit(medical);
        if ('accept' in outcome) {
          const [dailyDose, maxDailyDose] = outcome.accept;
          const response = await order(admissionId, body).expect(201);
          expect(response.body).toMatchObject({ status: 'ACTIVE', dailyDose, maxDailyDose, overridden: [], overrideReason: null });
          expect(await medicationsOf(admissionId)).toHaveLength(1);
          return;
        }
        const refused = await order(admissionId, body);
        await expectRefused(refused, admissionId, outcome.refuse, [{ code: outcome.refuse, overridable: outcome.overridable, field: 'dose' }]);
        const withReason = await order(admissionId, { ...body, overrideReason: REASON });
        if (!outcome.overridable) {
          // No reason lets a dose over the absolute (or risk-reduced) maximum through.
          await expectRefused(withReason, admissionId, outcome.refuse, [{ code: outcome.refuse, overridable: false, field: 'dose' }]);
          return;
        }
        expect(withReason.status).toBe(201);
        expect(withReason.body).toMatchObject({ overridden: [{ code: 'MAX_DAILY_DOSE_EXCEEDED', message: refused.body.message }], overrideReason: REASON });
        expect(withReason.body.dailyDose).toBeGreaterThan(withReason.body.maxDailyDose);
        expect(await medicationsOf(admissionId)).toEqual([
          // Stored with the finding it covers: the limit the order was written above.
          { drug: body.drug, status: 'ACTIVE', override_reason: REASON, overridden: [{ code: 'MAX_DAILY_DOSE_EXCEEDED', message: refused.body.message, finding: { limit: withReason.body.maxDailyDose } }] },
        ]);
      });

      it('refuses 4 lidocaine patches for the day first, and for the one application too', async () => {
        const { admissionId } = await admit();
        await expectRefused(await order(admissionId, { ...med('lidocaine', 4, 1), overrideReason: REASON }), admissionId, 'MAX_DAILY_DOSE_EXCEEDED', [
          { code: 'MAX_DAILY_DOSE_EXCEEDED', overridable: false, field: 'dose' },
          { code: 'MAX_SINGLE_DOSE_EXCEEDED', overridable: false, field: 'dose' },
        ]);
      });

      it('names the risk factor that lowered the paracetamol limit', async () => {
        const { admissionId } = await admit({ hepaticImpairment: true, heavyAlcoholUse: true });
        const response = await order(admissionId, med('paracetamol', 1000, 3)).expect(422);
        expect(response.body.message).toBe('3000 mg/day of paracetamol is above the 2000 mg/day limit with hepatic impairment and heavy alcohol use.');
      });
    });

    describe('the most in one dose (a day within its limit is not enough)', () => {
      it.each<[string, Json, string]>([
        ['paracetamol 4000 mg once a day', med('paracetamol', 4000, 1), '4000 mg of paracetamol is above its maximum of 1000 mg a dose; give it in smaller doses, more times a day.'],
        ['paracetamol 1000.001 mg three times a day', med('paracetamol', 1000.001, 3), '1000.001 mg of paracetamol is above its maximum of 1000 mg a dose; give it in smaller doses, more times a day.'],
        ['ibuprofen 2400 mg once a day', med('ibuprofen', 2400, 1), '2400 mg of ibuprofen is above its maximum of 800 mg a dose; give it in smaller doses, more times a day.'],
        ['naproxen 1000 mg once a day', med('naproxen', 1000, 1), '1000 mg of naproxen is above its maximum of 500 mg a dose; give it in smaller doses, more times a day.'],
        ['gabapentin 3600 mg once a day', med('gabapentin', 3600, 1), '3600 mg of gabapentin is above its maximum of 1200 mg a dose; give it in smaller doses, more times a day.'],
        ['pregabalin 600 mg once a day', med('pregabalin', 600, 1), '600 mg of pregabalin is above its maximum of 300 mg a dose; give it in smaller doses, more times a day.'],
      ])('%s → 422 MAX_SINGLE_DOSE_EXCEEDED on the dose, which no reason lets through', async (_, body, message) => {
        const { admissionId } = await admit();
        const refused = await order(admissionId, body);
        await expectRefused(refused, admissionId, 'MAX_SINGLE_DOSE_EXCEEDED', [{ code: 'MAX_SINGLE_DOSE_EXCEEDED', overridable: false, field: 'dose' }]);
        expect(refused.body.message).toBe(message);
        await expectRefused(await order(admissionId, { ...body, overrideReason: REASON }), admissionId, 'MAX_SINGLE_DOSE_EXCEEDED', [
          { code: 'MAX_SINGLE_DOSE_EXCEEDED', overridable: false, field: 'dose' },
        ]);
      });

      it('accepts each drug at its most in one dose', async () => {
        for (const body of [med('paracetamol', 1000, 1), med('ibuprofen', 800, 1), med('gabapentin', 1200, 1)]) {
          await order((await admit()).admissionId, body).expect(201);
        }
      });
    });

    describe('the rest of the patient: other medicines, kidneys, liver (domain.md §9)', () => {
      /** Admitted with these medical answers and intake opioids (by default the example order's oxycodone). */
      const admitWith = (medical: Medical, opioids?: Json[]) => admitPatient(t, clerk, exampleIntakeBody({ medical, ...(opioids ? { opioids } : {}) }), '2026-11-01');

      it('pregabalin on top of gabapentin → 422 DUPLICATE_GABAPENTINOID, which no reason lets through', async () => {
        const { admissionId } = await admitWith({});
        await order(admissionId, med('gabapentin', 300, 3)).expect(201);
        const refused = await order(admissionId, med('pregabalin', 75, 2)).expect(422);
        expect(refused.body).toMatchObject({ code: 'DUPLICATE_GABAPENTINOID', details: [{ code: 'DUPLICATE_GABAPENTINOID', overridable: false, field: 'drug' }] });
        expect((await order(admissionId, { ...med('pregabalin', 75, 2), overrideReason: REASON })).status).toBe(422);
        expect((await medicationsOf(admissionId)).map((m) => m.drug)).toEqual(['gabapentin']);
      });

      it.each<[string, Medical, Json, number, string[]]>([
        ['gabapentin 3600 mg with renal impairment and no clearance (the 30–59 row: 1400)', { renalImpairment: true }, med('gabapentin', 1200, 3), 1400, ['RENAL_FUNCTION_UNKNOWN']],
        ['gabapentin 1500 mg at a clearance of 45 mL/min (1400)', { creatinineClearance: 45 } as Medical, med('gabapentin', 500, 3), 1400, []],
        ['gabapentin 800 mg at a clearance of 20 mL/min (700)', { creatinineClearance: 20 } as Medical, med('gabapentin', 400, 2), 700, []],
        ['pregabalin 100 mg at a clearance of 10 mL/min (75)', { creatinineClearance: 10 } as Medical, med('pregabalin', 50, 2), 75, []],
      ])('%s → 422 RENAL_DOSE_EXCEEDED unless an override reason', async (_, medical, body, limit, warnings) => {
        const { admissionId } = await admitWith(medical);
        const refused = await order(admissionId, body).expect(422);
        expect(refused.body).toMatchObject({ code: 'RENAL_DOSE_EXCEEDED', details: [{ code: 'RENAL_DOSE_EXCEEDED', overridable: true }] });
        expect(refused.body.message).toContain(`${limit}`);
        const accepted = await order(admissionId, { ...body, overrideReason: REASON }).expect(201);
        expect(accepted.body.overridden.map((o: Json) => o.code)).toEqual(['RENAL_DOSE_EXCEEDED']);
        // The limit that applied is the kidney row's, also when read back: above it only by the override.
        expect(accepted.body.maxDailyDose).toBe(limit);
        expect((await plan(admissionId).expect(200)).body.medications[0]).toMatchObject({ id: accepted.body.id, maxDailyDose: limit });
        expect(accepted.body.warnings.map((w: Json) => w.code)).toEqual(expect.arrayContaining(warnings));
      });

      it('an order let through by a reason reaches the handoff with its refusal and reason, in JSON, PDF and FHIR', async () => {
        const { admissionId } = await admitWith({ creatinineClearance: 40 } as Medical);
        await order(admissionId, med('gabapentin', 600, 3, { overrideReason: REASON })).expect(201);
        await order(admissionId, med('paracetamol', 1000, 3)).expect(201);
        const today = t.clock.today(t.config.clinicTimeZone);
        await t.http.post(`${ADMISSIONS}/${admissionId}/discharge`).set(bearer(aftercare))
          .send({ dischargedOn: today, outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: today } }).expect(201);
        const handoff = (format?: string) => t.http.get(`${ADMISSIONS}/${admissionId}/handoff`).query(format ? { format } : {}).set(bearer(aftercare));

        const { active } = (await handoff().expect(200)).body.painPlan;
        expect(active.map((m: Json) => [m.drug, m.override])).toEqual([
          ['gabapentin', { reason: REASON, overridden: [{ code: 'RENAL_DOSE_EXCEEDED', message: expect.stringContaining('1400') }] }],
          ['paracetamol', null],
        ]);
        const said = `Ordered despite: ${(active[0].override.overridden[0].message as string).replace(/\.$/, '')} (RENAL_DOSE_EXCEEDED). Reason on record: ${REASON}`;
        const pdf = extractPdfText((await readingBytes(handoff('pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
        expect(pdf).toContain(`Gabapentin: ${said}`);
        const bundle = JSON.parse((await handoff('fhir').expect(200)).text) as Bundle;
        const requests = (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'MedicationRequest' ? [e.resource as MedicationRequest] : []));
        const gabapentin = requests.find((r) => r.medicationCodeableConcept?.text?.toLowerCase().includes('gabapentin'));
        expect(gabapentin?.note).toEqual([{ text: said }]);
      });

      it('gabapentin at the kidney limit passes: 1400 mg at 59 mL/min, and 3600 mg at 60', async () => {
        await order((await admitWith({ creatinineClearance: 59 } as Medical)).admissionId, med('gabapentin', 700, 2)).expect(201);
        await order((await admitWith({ creatinineClearance: 60 } as Medical)).admissionId, med('gabapentin', 1200, 3)).expect(201);
      });

      it.each<[string, Medical]>([
        ['hepatic impairment', { hepaticImpairment: true }],
        ['heavy alcohol use', { heavyAlcoholUse: true }],
      ])('duloxetine with %s → 422 HEPATIC_CONTRAINDICATED unless an override reason', async (_, medical) => {
        const { admissionId } = await admitWith(medical);
        const refused = await order(admissionId, med('duloxetine', 30, 1)).expect(422);
        expect(refused.body.code).toBe('HEPATIC_CONTRAINDICATED');
        await order(admissionId, { ...med('duloxetine', 30, 1), overrideReason: REASON }).expect(201);
      });

      it('duloxetine at a clearance of 29 mL/min is refused as severe renal impairment; at 30 it is accepted', async () => {
        expect((await order((await admitWith({ creatinineClearance: 29 } as Medical)).admissionId, med('duloxetine', 30, 1)).expect(422)).body.code).toBe('CONTRAINDICATED');
        await order((await admitWith({ creatinineClearance: 30 } as Medical)).admissionId, med('duloxetine', 30, 1)).expect(201);
      });

      it('paracetamol counts the combination opioid still taken: hydrocodone + 325 mg four times a day leaves 2700 mg for an order', async () => {
        const combination = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
        const { admissionId } = await admitWith({}, [combination]);
        const refused = await order(admissionId, med('paracetamol', 1000, 3)).expect(422);
        expect(refused.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
        expect(refused.body.message).toContain('hydrocodone IR');
        const accepted = await order(admissionId, med('paracetamol', 900, 3)).expect(201);
        // The patient's limit for every source together, not the 2700 mg left for this order beside the combination.
        expect(accepted.body).toMatchObject({ dailyDose: 2700, maxDailyDose: 4000 });
      });

      it('gabapentin within the kidney row shows the row as its limit: 1400 at 45 mL/min, 3600 at 60', async () => {
        expect((await order((await admitWith({ creatinineClearance: 45 } as Medical)).admissionId, med('gabapentin', 700, 2)).expect(201)).body.maxDailyDose).toBe(1400);
        expect((await order((await admitWith({ creatinineClearance: 60 } as Medical)).admissionId, med('gabapentin', 700, 2)).expect(201)).body.maxDailyDose).toBe(3600);
      });

      it('a cross-taper rotation leaves the combination opioid taken, its paracetamol counted; a rotation that replaces it does not', async () => {
        const combination = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
        const rotation = (crossTaper: boolean) => apiExampleOrder({
          drug: 'oxycodone', startDailyDose: 10, unitStrengths: [5], startDate: '2026-11-01',
          replaces: { drug: 'hydrocodone', formulation: 'IR' }, rotationReason: 'Itching on hydrocodone', crossTaper, overrideReason: 'Both for a few days',
        });
        for (const crossTaper of [true, false]) {
          const { admissionId } = await admitWith({}, [combination]);
          const draft = await t.http.post(`${ADMISSIONS}/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(rotation(crossTaper)).expect(201);
          await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(psychiatrist)).expect(200);
          const response = await order(admissionId, med('paracetamol', 1000, 3));
          // Cross-taper: 3,000 mg + 1,300 mg of the hydrocodone still given is over 4,000 mg.
          expect([crossTaper, response.status, response.body.code]).toEqual(crossTaper ? [true, 422, 'MAX_DAILY_DOSE_EXCEEDED'] : [false, 201, undefined]);
        }
      });
    });

    describe('warnings', () => {
      it.each(['amitriptyline', 'nortriptyline'])('accepts %s with the sedation, falls and anticholinergic warning', async (drug) => {
        const { admissionId, patientId } = await admit();
        const response = await order(admissionId, med(drug, 25, 3)).expect(201);
        expect(response.body.warnings).toEqual([{ code: 'TCA_SEDATION_FALLS', message: expect.stringMatching(/sedation.*falls.*anticholinergic/) }]);
        const [row] = await auditOf(response);
        expect(row).toMatchObject({ patient_id: patientId, detail: { drug, overridden: [], warnings: ['TCA_SEDATION_FALLS'] } });
      });

      describe.each(['gabapentin', 'pregabalin'])('%s', (drug) => {
        const warned = (words: string) => [
          { code: 'GABAPENTINOID_RESPIRATORY_DEPRESSION', message: expect.stringContaining(`with ${words}: risk of serious respiratory depression`) },
        ];

        it('warns of respiratory depression while the intake opioid is still taken and no taper is signed', async () => {
          const { admissionId } = await admit();
          expect((await order(admissionId, med(drug, 100, 3)).expect(201)).body.warnings).toEqual(warned('current opioid use'));
        });

        it('warns with only a draft taper: the intake dose is still taken', async () => {
          const { admissionId } = await admit();
          await signedTaper(admissionId, false);
          expect((await order(admissionId, med(drug, 100, 3)).expect(201)).body.warnings).toEqual(warned('current opioid use'));
        });

        it('warns while a signed taper is above zero', async () => {
          const { admissionId } = await admit();
          await signedTaper(admissionId);
          expect((await order(admissionId, med(drug, 100, 3)).expect(201)).body.warnings).toEqual(warned('current opioid use'));
        });

        it('warns on the day before the taper reaches zero, and not from the day it does', async () => {
          const { admissionId } = await admit();
          const { endsOn } = await taperedToZero(admissionId);
          const before = await on(addDays(endsOn as string, -1), () => order(admissionId, med(drug, 100, 3)).expect(201));
          expect(before.body.warnings).toEqual(warned('current opioid use'));
          await discontinue(before.body.id).expect(200);
          const after = await on(endsOn as string, () => order(admissionId, med(drug, 100, 3)).expect(201));
          expect(after.body.warnings).toEqual([]);
        });

        it.each([
          ['benzodiazepine use', { benzodiazepineUse: true }],
          ['respiratory disease', { respiratoryDisease: true }],
        ] as [string, Medical][])('warns with %s once off opioids', async (words, medical) => {
          const { admissionId } = await admit(medical);
          const { endsOn } = await taperedToZero(admissionId);
          const response = await on(endsOn as string, () => order(admissionId, med(drug, 100, 3)).expect(201));
          expect(response.body.warnings).toEqual(warned(words));
        });
      });

      it('names every risk found, and still refuses a dose over the limit', async () => {
        const { admissionId } = await admit({ benzodiazepineUse: true, respiratoryDisease: true });
        await signedTaper(admissionId);
        await expectRefused(await order(admissionId, med('gabapentin', 901, 4)), admissionId, 'MAX_DAILY_DOSE_EXCEEDED', [
          { code: 'MAX_DAILY_DOSE_EXCEEDED', overridable: false },
        ]);
        const response = await order(admissionId, med('gabapentin', 300, 3)).expect(201);
        expect(response.body.warnings[0].message).toContain('with current opioid use, benzodiazepine use and respiratory disease:');
      });
    });

    describe('NSAID rules', () => {
      it.each(NSAID_CONTRAINDICATIONS)('refuses ibuprofen with %s (NSAID_CONTRAINDICATED), then accepts it with an override reason, recorded', async (factor, words) => {
        const { admissionId, patientId } = await admit({ [factor]: true });
        const refused = await order(admissionId, med('ibuprofen', 400, 3));
        await expectRefused(refused, admissionId, 'NSAID_CONTRAINDICATED', [{ code: 'NSAID_CONTRAINDICATED', overridable: true, field: 'drug' }]);
        expect(refused.body.message).toMatch(new RegExp(`^Ibuprofen with ${words}: .*needs an override reason\\.$`));

        const accepted = await order(admissionId, med('ibuprofen', 400, 3, { overrideReason: REASON })).expect(201);
        const overridden = [{ code: 'NSAID_CONTRAINDICATED', message: refused.body.message }];
        expect(accepted.body).toMatchObject({ status: 'ACTIVE', overridden, overrideReason: REASON });
        // Stored with the finding it covers: the risk factor weighed.
        expect(await medicationsOf(admissionId)).toEqual([{ drug: 'ibuprofen', status: 'ACTIVE', override_reason: REASON, overridden: [{ ...overridden[0], finding: { factors: [factor] } }] }]);
        expect(await auditOf(accepted)).toEqual([
          expect.objectContaining({ action: 'CREATE', resource: 'pain_medication', resource_id: accepted.body.id, patient_id: patientId, detail: { drug: 'ibuprofen', overridden: ['NSAID_CONTRAINDICATED'], warnings: [] } }),
        ]);
      });

      it.each([med('naproxen', 250, 2), med('diclofenac', 50, 2), med('celecoxib', 100, 2)])('applies the NSAID contraindications to $drug', async (body) => {
        const { admissionId } = await admit({ renalImpairment: true });
        await expectRefused(await order(admissionId, body), admissionId, 'NSAID_CONTRAINDICATED', [{ code: 'NSAID_CONTRAINDICATED', overridable: true }]);
        await order(admissionId, { ...body, overrideReason: REASON }).expect(201);
      });

      it('names every contraindication found in one refusal', async () => {
        const { admissionId } = await admit({ renalImpairment: true, anticoagulants: true });
        const response = await order(admissionId, med('diclofenac', 50, 3)).expect(422);
        expect(response.body.message).toMatch(/^Diclofenac with renal impairment and anticoagulant use: /);
      });

      it('refuses a second systemic NSAID (DUPLICATE_NSAID, even with a reason) and allows it once the first is discontinued', async () => {
        const { admissionId } = await admit();
        const ibuprofen = await order(admissionId, med('ibuprofen', 400, 3)).expect(201);
        for (const body of [med('naproxen', 250, 2), med('naproxen', 250, 2, { overrideReason: REASON }), med('celecoxib', 100, 2)]) {
          const refused = await order(admissionId, body).expect(422);
          expect(refused.body).toMatchObject({ code: 'DUPLICATE_NSAID', details: [{ field: 'drug', code: 'DUPLICATE_NSAID', overridable: false, reason: expect.stringContaining('already has ibuprofen active') }] });
          expect(await auditOf(refused)).toEqual([]);
        }
        expect(await medicationsOf(admissionId)).toHaveLength(1);
        // Non-NSAIDs alongside are fine.
        await order(admissionId, med('paracetamol', 1000, 4)).expect(201);
        await discontinue(ibuprofen.body.id).expect(200);
        await order(admissionId, med('naproxen', 250, 2)).expect(201);
        expect((await medicationsOf(admissionId)).map((m) => `${m.drug} ${m.status}`)).toEqual(['ibuprofen DISCONTINUED', 'paracetamol ACTIVE', 'naproxen ACTIVE']);
      });

      it('answers with the refusal that cannot be overridden first, and lists all of them', async () => {
        const { admissionId } = await admit({ renalImpairment: true });
        await order(admissionId, med('paracetamol', 500, 2)).expect(201);
        const body = med('ibuprofen', 800, 5);
        for (const overrideReason of [undefined, REASON]) {
          const response = await order(admissionId, { ...body, overrideReason }).expect(422);
          expect(response.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
          expect(response.body.details.map((d: Json) => [d.field, d.code, d.overridable])).toEqual([
            ['dose', 'MAX_DAILY_DOSE_EXCEEDED', false],
            ['drug', 'NSAID_CONTRAINDICATED', true],
          ]);
        }
        expect(await medicationsOf(admissionId)).toHaveLength(1);
      });

      it('without a reason answers the first of several overridable refusals; with one, records them all', async () => {
        const { admissionId } = await admit({ giBleedHistory: true });
        const refused = await order(admissionId, med('ibuprofen', 700, 4)).expect(422);
        expect(refused.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
        expect(refused.body.details.map((d: Json) => [d.code, d.overridable])).toEqual([
          ['MAX_DAILY_DOSE_EXCEEDED', true],
          ['NSAID_CONTRAINDICATED', true],
        ]);
        const accepted = await order(admissionId, med('ibuprofen', 700, 4, { overrideReason: REASON })).expect(201);
        expect(accepted.body.overridden).toEqual(refused.body.details.map((d: Json) => ({ code: d.code, message: d.reason })));
        const [row] = await auditOf(accepted);
        expect(row!.detail).toEqual({ drug: 'ibuprofen', overridden: ['MAX_DAILY_DOSE_EXCEEDED', 'NSAID_CONTRAINDICATED'], warnings: [] });
      });
    });

    it('refuses duloxetine with renal impairment (CONTRAINDICATED), then accepts it with an override reason', async () => {
      const { admissionId } = await admit({ renalImpairment: true });
      const refused = await order(admissionId, med('duloxetine', 60, 1));
      await expectRefused(refused, admissionId, 'CONTRAINDICATED', [{ code: 'CONTRAINDICATED', overridable: true, field: 'drug' }]);
      expect(refused.body.message).toContain('Duloxetine with renal impairment');
      const accepted = await order(admissionId, med('duloxetine', 60, 1, { overrideReason: REASON })).expect(201);
      expect(accepted.body).toMatchObject({ overridden: [{ code: 'CONTRAINDICATED', message: refused.body.message }], overrideReason: REASON });
    });

    it('stores an override reason given when nothing needed overriding (overridden stays empty)', async () => {
      const { admissionId } = await admit();
      const response = await order(admissionId, med('paracetamol', 500, 4, { overrideReason: '  Belt and braces.  ' })).expect(201);
      expect(response.body).toMatchObject({ overridden: [], overrideReason: 'Belt and braces.' });
    });

    it('refuses a second active order of the same drug (409 DUPLICATE_MEDICATION) until the first is discontinued', async () => {
      const { admissionId } = await admit();
      const first = await order(admissionId, med('paracetamol', 500, 4)).expect(201);
      for (const body of [med('paracetamol', 500, 2), med('PARACETAMOL', 1000, 2, { overrideReason: REASON })]) {
        const again = await order(admissionId, body).expect(409);
        expect(again.body).toMatchObject({ statusCode: 409, code: 'DUPLICATE_MEDICATION' });
        expect(await auditOf(again)).toEqual([]);
      }
      await order(admissionId, med('ibuprofen', 200, 3)).expect(201);
      expect((await order(admissionId, med(' Ibuprofen', 200, 2)).expect(409)).body.code).toBe('DUPLICATE_MEDICATION');
      expect((await medicationsOf(admissionId)).map((m) => m.drug)).toEqual(['paracetamol', 'ibuprofen']);
      await discontinue(first.body.id).expect(200);
      await order(admissionId, med('paracetamol', 1000, 2)).expect(201);
    });

    it.each<[string, Json, string, string]>([
      ['an unknown drug', med('tramadol', 50, 2), 'UNKNOWN_DRUG', 'drug'],
      ['an opioid', med('oxycodone', 5, 2), 'UNKNOWN_DRUG', 'drug'],
      ['a name of an object property', med('constructor', 5, 2), 'UNKNOWN_DRUG', 'drug'],
      ['ibuprofen in patches', med('ibuprofen', 1, 1, { unit: 'patch' }), 'INVALID_UNIT', 'unit'],
      ['lidocaine in mg', med('lidocaine', 700, 1, { unit: 'mg' }), 'INVALID_UNIT', 'unit'],
      ['ibuprofen on the skin', med('ibuprofen', 400, 3, { route: 'TOPICAL' }), 'INVALID_ROUTE', 'route'],
      ['paracetamol through a patch', med('paracetamol', 500, 2, { route: 'TRANSDERMAL' }), 'INVALID_ROUTE', 'route'],
      ['lidocaine by mouth', med('lidocaine', 1, 1, { route: 'ORAL' }), 'INVALID_ROUTE', 'route'],
      ['lidocaine twice a day (12 h on, 12 h off)', med('lidocaine', 1, 2), 'INVALID_FREQUENCY', 'timesPerDay'],
    ])('refuses %s (422 with the clinical code, naming the field)', async (_, body, code, field) => {
      const { admissionId } = await admit();
      const response = await order(admissionId, body).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, code, details: [{ field, reason: response.body.message }] });
      expect(await auditOf(response)).toEqual([]);
      expect(await medicationsOf(admissionId)).toEqual([]);
    });

    it.each<[string, Json, string]>([
      ['no drug', { drug: undefined }, 'drug'],
      ['a drug that is not text', { drug: 12 }, 'drug'],
      ['an empty drug', { drug: '   ' }, 'drug'],
      ['no dose', { dose: undefined }, 'dose'],
      ['a zero dose', { dose: 0 }, 'dose'],
      ['a negative dose', { dose: -400 }, 'dose'],
      ['a dose as text', { dose: '400' }, 'dose'],
      ['a dose with 4 decimals', { dose: 400.0001 }, 'dose'],
      ['a unit that is not mg or patch', { unit: 'g' }, 'unit'],
      ['no unit', { unit: undefined }, 'unit'],
      ['timesPerDay 0', { timesPerDay: 0 }, 'timesPerDay'],
      ['timesPerDay 25', { timesPerDay: 25 }, 'timesPerDay'],
      ['a fractional timesPerDay', { timesPerDay: 1.5 }, 'timesPerDay'],
      ['an unknown route', { route: 'IV' }, 'route'],
      ['an indication over 500 characters', { indication: 'x'.repeat(501) }, 'indication'],
      ['an empty override reason', { overrideReason: '  ' }, 'overrideReason'],
      ['an override reason over 2000 characters', { overrideReason: 'x'.repeat(2001) }, 'overrideReason'],
      ['an unknown field', { frequency: 'TDS' }, 'frequency'],
    ])('refuses %s (400 naming the field) and writes nothing', async (_, change, field) => {
      const { admissionId } = await admit();
      const response = await order(admissionId, { ...med('ibuprofen', 400, 3), ...change }).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.details.map((d: Json) => d.field)).toEqual([field]);
      expect(await auditOf(response)).toEqual([]);
      expect(await medicationsOf(admissionId)).toEqual([]);
    });

    it('accepts an indication of 500 characters and an override reason of 2000', async () => {
      const { admissionId } = await admit();
      const response = await order(admissionId, med('ibuprofen', 400, 3, { indication: 'i'.repeat(500), overrideReason: 'r'.repeat(2000) })).expect(201);
      expect(response.body.indication).toHaveLength(500);
      expect(response.body.overrideReason).toHaveLength(2000);
    });

    it('answers 404 for an unknown admission and 400 for a malformed id', async () => {
      expect((await order(MISSING_ID, med('ibuprofen', 400, 3)).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await order('nope', med('ibuprofen', 400, 3)).expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });

    it('lets exactly one of several NSAIDs ordered at the same moment through; the others get DUPLICATE_NSAID', async () => {
      const { admissionId } = await admit();
      const bodies = [med('ibuprofen', 400, 3), med('naproxen', 250, 2), med('diclofenac', 50, 2), med('celecoxib', 100, 2)];
      const responses = await Promise.all(bodies.map((body) => order(admissionId, body)));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
      expect(responses.filter((r) => r.status === 422).every((r) => r.body.code === 'DUPLICATE_NSAID')).toBe(true);
      const winner = responses.find((r) => r.status === 201)!;
      expect(await medicationsOf(admissionId)).toEqual([expect.objectContaining({ drug: winner.body.drug, status: 'ACTIVE' })]);
    });

    it('lets exactly one of two identical orders sent at the same moment through; the other gets 409', async () => {
      const { admissionId } = await admit();
      const responses = await Promise.all([1, 2].map(() => order(admissionId, med('pregabalin', 75, 2))));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('DUPLICATE_MEDICATION');
      expect(await medicationsOf(admissionId)).toHaveLength(1);
    });
  });

  describe('discontinue', () => {
    it('discontinues with the reason and who did it; audited as an UPDATE with the patient id', async () => {
      const { admissionId, patientId } = await admit();
      const ordered = await order(admissionId, med('amitriptyline', 10, 1)).expect(201);
      const response = await discontinue(ordered.body.id, { reason: '  Too drowsy in the mornings.  ' }).expect(200);
      expect(response.body).toEqual({
        ...ordered.body,
        status: 'DISCONTINUED',
        discontinuedAt: expect.any(String),
        discontinuedBy: psychiatrist.id,
        discontinueReason: 'Too drowsy in the mornings.',
      });
      expect(Date.parse(response.body.discontinuedAt)).toBeGreaterThanOrEqual(Date.parse(ordered.body.createdAt));
      expect(await auditOf(response)).toEqual([
        {
          actor_id: psychiatrist.id, action: 'UPDATE', resource: 'pain_medication', resource_id: ordered.body.id, patient_id: patientId, outcome: 'SUCCESS',
          detail: { drug: 'amitriptyline', status: 'DISCONTINUED' },
        },
      ]);
    });

    it.each<[string, Json]>([
      ['no reason', {}],
      ['an empty reason', { reason: ' ' }],
      ['a reason over 2000 characters', { reason: 'x'.repeat(2001) }],
      ['a reason that is not text', { reason: 42 }],
      ['an unknown field', { reason: 'Stop.', when: 'now' }],
    ])('refuses %s (400) and leaves the order active', async (_, body) => {
      const { admissionId } = await admit();
      const ordered = await order(admissionId, med('paracetamol', 500, 2)).expect(201);
      const response = await discontinue(ordered.body.id, body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(await auditOf(response)).toEqual([]);
      expect((await medicationsOf(admissionId))[0]!.status).toBe('ACTIVE');
    });

    it('refuses a second discontinue (409 ALREADY_DISCONTINUED) and keeps the first reason', async () => {
      const { admissionId } = await admit();
      const ordered = await order(admissionId, med('paracetamol', 500, 2)).expect(201);
      await discontinue(ordered.body.id, { reason: 'First.' }).expect(200);
      const again = await discontinue(ordered.body.id, { reason: 'Second.' }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'ALREADY_DISCONTINUED' });
      expect(await auditOf(again)).toEqual([]);
      const stored = await t.admin.query('SELECT discontinue_reason FROM pain_medications WHERE id = $1', [ordered.body.id]);
      expect(stored.rows[0].discontinue_reason).toBe('First.');
    });

    it('lets exactly one of two simultaneous discontinues win', async () => {
      const { admissionId } = await admit();
      const ordered = await order(admissionId, med('paracetamol', 500, 2)).expect(201);
      const responses = await Promise.all(['One.', 'Two.'].map((reason) => discontinue(ordered.body.id, { reason })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('ALREADY_DISCONTINUED');
      const winner = responses.find((r) => r.status === 200)!;
      const stored = await t.admin.query('SELECT discontinue_reason FROM pain_medications WHERE id = $1', [ordered.body.id]);
      expect(stored.rows[0].discontinue_reason).toBe(winner.body.discontinueReason);
      const updates = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND action = 'UPDATE'`, [ordered.body.id]);
      expect(updates.rows[0].n).toBe(1);
    });

    it('answers 404 for an unknown medication and 400 for a malformed id', async () => {
      expect((await discontinue(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await discontinue('12').expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });
  });

  describe('therapies', () => {
    it.each(THERAPY_TYPES)('adds %s, audited with the patient id', async (type) => {
      const { admissionId, patientId } = await admit();
      const response = await addTherapy(admissionId, { type, frequency: ' 3 times a week ', notes: 'With the visiting physiotherapist.' }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        admissionId,
        patientId,
        type,
        frequency: '3 times a week',
        notes: 'With the visiting physiotherapist.',
        orderedBy: psychiatrist.id,
        createdAt: expect.any(String),
      });
      expect(await auditOf(response)).toEqual([
        { actor_id: psychiatrist.id, action: 'CREATE', resource: 'pain_therapy', resource_id: response.body.id, patient_id: patientId, outcome: 'SUCCESS', detail: { type } },
      ]);
    });

    it('takes notes as optional', async () => {
      const { admissionId } = await admit();
      expect((await addTherapy(admissionId, { type: 'SLEEP', frequency: 'nightly' }).expect(201)).body.notes).toBeNull();
      expect((await addTherapy(admissionId, { type: 'CBT', frequency: 'weekly', notes: 'n'.repeat(2000) }).expect(201)).body.notes).toHaveLength(2000);
    });

    it.each<[string, Json, string]>([
      ['an unknown type', { type: 'MASSAGE', frequency: 'weekly' }, 'type'],
      ['a type in lower case', { type: 'cbt', frequency: 'weekly' }, 'type'],
      ['no type', { frequency: 'weekly' }, 'type'],
      ['no frequency', { type: 'CBT' }, 'frequency'],
      ['an empty frequency', { type: 'CBT', frequency: '  ' }, 'frequency'],
      ['a frequency over 200 characters', { type: 'CBT', frequency: 'f'.repeat(201) }, 'frequency'],
      ['notes over 2000 characters', { type: 'CBT', frequency: 'weekly', notes: 'n'.repeat(2001) }, 'notes'],
      ['an unknown field', { type: 'CBT', frequency: 'weekly', room: 'B' }, 'room'],
    ])('refuses %s (400) and writes nothing', async (_, body, field) => {
      const { admissionId } = await admit();
      const response = await addTherapy(admissionId, body).expect(400);
      expect(response.body.details.map((d: Json) => d.field)).toEqual([field]);
      expect(await therapyCount(admissionId)).toBe(0);
      expect(await auditOf(response)).toEqual([]);
    });

    it('answers 404 for an unknown admission', async () => {
      expect((await addTherapy(MISSING_ID, { type: 'CBT', frequency: 'weekly' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('the plan', () => {
    it('lists medications (active first, then discontinued, each newest first) and therapies (newest first) in one call, audited as one READ', async () => {
      const { admissionId, patientId } = await admit();
      const ids: Record<string, string> = {};
      for (const body of [med('paracetamol', 1000, 4), med('ibuprofen', 400, 3), med('amitriptyline', 10, 1), med('gabapentin', 300, 3)]) {
        ids[body.drug as string] = (await order(admissionId, body).expect(201)).body.id;
      }
      await discontinue(ids.paracetamol!).expect(200);
      await discontinue(ids.amitriptyline!).expect(200);
      const cbt = (await addTherapy(admissionId, { type: 'CBT', frequency: 'weekly' }).expect(201)).body;
      const sleep = (await addTherapy(admissionId, { type: 'SLEEP', frequency: 'nightly' }).expect(201)).body;

      const response = await plan(admissionId).expect(200);
      expect(response.body.medications.map((m: Json) => [m.drug, m.status])).toEqual([
        ['gabapentin', 'ACTIVE'],
        ['ibuprofen', 'ACTIVE'],
        ['amitriptyline', 'DISCONTINUED'],
        ['paracetamol', 'DISCONTINUED'],
      ]);
      expect(response.body.medications[2]).toMatchObject({ id: ids.amitriptyline, discontinuedBy: psychiatrist.id, discontinueReason: 'Pain controlled.' });
      expect(response.body.therapies).toEqual([sleep, cbt]);
      expect(await auditOf(response)).toEqual([
        { actor_id: nurse.id, action: 'READ', resource: 'pain_plan', resource_id: null, patient_id: patientId, outcome: 'SUCCESS', detail: { admissionId } },
      ]);
    });

    it('answers the same shape as the writes', async () => {
      const { admissionId } = await admit({ renalImpairment: true });
      const ordered = await order(admissionId, med('naproxen', 250, 2, { overrideReason: REASON })).expect(201);
      const response = await plan(admissionId, aftercare).expect(200);
      expect(response.body).toEqual({ medications: [ordered.body], therapies: [], asNeeded: [] });
    });

    it('is empty for a new admission', async () => {
      const { admissionId } = await admit();
      expect((await plan(admissionId, psychiatrist).expect(200)).body).toEqual({ medications: [], therapies: [], asNeeded: [] });
    });

    it('reads the plan with the same number of statements whatever its size', async () => {
      const statementsFor = async (admissionId: string): Promise<number> => (await recordStatements(t, () => plan(admissionId).expect(200))).statements.length;
      const small = await admit();
      await order(small.admissionId, med('paracetamol', 500, 2)).expect(201);
      const large = await admit();
      for (const body of [med('paracetamol', 500, 2), med('ibuprofen', 200, 3), med('duloxetine', 30, 1), med('pregabalin', 75, 2), med('lidocaine', 1, 1)]) {
        await order(large.admissionId, body).expect(201);
      }
      for (const type of THERAPY_TYPES) await addTherapy(large.admissionId, { type, frequency: 'weekly' }).expect(201);
      const smallCount = await statementsFor(small.admissionId);
      expect(smallCount).toBeGreaterThan(0);
      expect(await statementsFor(large.admissionId)).toBe(smallCount);
    });

    it('answers 404 for an unknown admission and 400 for a malformed id', async () => {
      expect((await plan(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await plan('x').expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    });
  });

  describe('roles', () => {
    it('only the psychiatrist writes; nurse and aftercare read; admissions, billing and admin do neither; no token is 401', async () => {
      const { admissionId } = await admit();
      const existing = await order(admissionId, med('paracetamol', 500, 2)).expect(201);
      for (const who of [nurse, aftercare, clerk, billing, admin]) {
        const denied = await order(admissionId, med('ibuprofen', 200, 3), who).expect(403);
        expect(denied.body.code).toBe('FORBIDDEN');
        expect(await auditOf(denied)).toEqual([expect.objectContaining({ actor_id: who.id, action: 'CREATE', outcome: 'DENIED', resource_id: admissionId })]);
        await addTherapy(admissionId, { type: 'CBT', frequency: 'weekly' }, who).expect(403);
        await discontinue(existing.body.id, { reason: 'Not mine to stop.' }, who).expect(403);
      }
      for (const who of [psychiatrist, nurse, aftercare]) await plan(admissionId, who).expect(200);
      for (const who of [clerk, billing, admin]) await plan(admissionId, who).expect(403);

      await t.http.post(`${ADMISSIONS}/${admissionId}/pain-plan/medications`).send(med('ibuprofen', 200, 3)).expect(401);
      await t.http.post(`${ADMISSIONS}/${admissionId}/pain-plan/therapies`).send({ type: 'CBT', frequency: 'weekly' }).expect(401);
      await t.http.post(`${API}/pain-plan/medications/${existing.body.id}/discontinue`).send({ reason: 'x' }).expect(401);
      await t.http.get(`${ADMISSIONS}/${admissionId}/pain-plan`).expect(401);

      expect(await medicationsOf(admissionId)).toEqual([expect.objectContaining({ drug: 'paracetamol', status: 'ACTIVE' })]);
      expect(await therapyCount(admissionId)).toBe(0);
    });
  });

  describe('a discharged admission', () => {
    it('refuses every write (409 ADMISSION_NOT_ACTIVE) but keeps the plan readable', async () => {
      const { admissionId } = await admit();
      const ordered = await order(admissionId, med('paracetamol', 500, 2)).expect(201);
      await addTherapy(admissionId, { type: 'MOVEMENT', frequency: 'daily' }).expect(201);
      await t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = admitted_on WHERE id = $1`, [admissionId]);

      const responses = [
        await order(admissionId, med('ibuprofen', 200, 3)),
        await order(admissionId, med('tramadol', 50, 2)),
        await addTherapy(admissionId, { type: 'CBT', frequency: 'weekly' }),
        await discontinue(ordered.body.id),
      ];
      for (const response of responses) {
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('ADMISSION_NOT_ACTIVE');
        expect(await auditOf(response)).toEqual([]);
      }
      const current = await plan(admissionId, aftercare).expect(200);
      expect(current.body.medications).toEqual([ordered.body]);
      expect(current.body.therapies).toHaveLength(1);
    });
  });
});
