import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { assessmentBody, createEnquiry } from './support/intake.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const SETTINGS = `${API}/settings/triage`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;
type Pathway = 'HOSPITAL_DETOX_FIRST' | 'ONSITE_TAPER' | 'OUTPATIENT_TAPER';
interface Reason { code: string; message: string; inputs: Json }
interface Decision {
  id: string;
  enquiryId: string;
  assessmentId: string;
  kind: 'RULES' | 'OVERRIDE';
  pathway: Pathway;
  reasons: Reason[];
  ruleSetVersion: number;
  overridesDecisionId: string | null;
  overrideReason: string | null;
  decidedBy: string;
  decidedAt: string;
}

/** One opioid line of an assessment. */
const opioid = (drug: string, formulation: 'IR' | 'ER', dose: number, timesPerDay: number) => ({
  drug, formulation, dose, unit: 'mg', timesPerDay, monthsOnTherapy: 24, prescribed: true,
});

/** Pain 6 with the default social answers and 45 MME/day of IR oxycodone: every outpatient condition holds. */
const outpatientBody = (overrides: Parameters<typeof assessmentBody>[0] = {}) =>
  assessmentBody({ ...overrides, pain: { score: 6, ...(overrides.pain as Json) } });

/** The reason a rule gives, with any message. */
type ExpectedReason = { code: string; message: unknown; inputs: Json };
const reason = (code: string, inputs: Json): ExpectedReason => ({ code, message: expect.any(String), inputs });

describe('triage', () => {
  let t: TestApp;
  let admin: Staff;
  let clerk: Staff;
  let psychiatrist: Staff;
  let nurse: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInFirstAdmin(t);
    [clerk, psychiatrist, nurse] = await Promise.all([createStaff(t, ['admissions']), createStaff(t, ['psychiatrist']), createStaff(t, ['nurse'])]);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A new enquiry with this assessment recorded. */
  async function assessed(body: Json = assessmentBody()): Promise<{ enquiryId: string; patientId: string; assessmentId: string }> {
    const enquiry = await createEnquiry(t, clerk);
    const assessment = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(clerk)).send(body).expect(201);
    return { enquiryId: enquiry.id, patientId: assessment.body.patientId as string, assessmentId: assessment.body.id as string };
  }

  const decide = (enquiryId: string, as: Staff = clerk) => t.http.post(`${API}/enquiries/${enquiryId}/triage`).set(bearer(as));

  /** A new enquiry assessed with this body and triaged by the rules. */
  async function triaged(body: Json = assessmentBody()): Promise<Decision & { patientId: string }> {
    const { enquiryId, patientId } = await assessed(body);
    const response = await decide(enquiryId).expect(201);
    return { ...(response.body as Decision), patientId };
  }

  const override = (decisionId: string, body: Json, as: Staff = psychiatrist) =>
    t.http.post(`${API}/triage/${decisionId}/override`).set(bearer(as)).send(body);

  const history = async (enquiryId: string, as: Staff = clerk): Promise<{ items: Decision[]; currentPathway: Pathway | null }> =>
    (await t.http.get(`${API}/enquiries/${enquiryId}/triage`).set(bearer(as)).expect(200)).body;

  const enquiryStatus = async (enquiryId: string): Promise<string> =>
    (await t.http.get(`${API}/enquiries/${enquiryId}`).set(bearer(clerk)).expect(200)).body.status;

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query(
      'SELECT actor_id, action, resource, resource_id, patient_id, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
      [response.headers['x-correlation-id']],
    );
    return rows.rows;
  }

  describe('by the rules', () => {
    it.each<[string, Json, ExpectedReason]>([
      ['cardiac disease', { medical: { cardiacDisease: true } }, reason('CARDIAC_DISEASE', { cardiacDisease: true })],
      ['respiratory disease', { medical: { respiratoryDisease: true } }, reason('RESPIRATORY_DISEASE', { respiratoryDisease: true })],
      ['pregnancy', { medical: { pregnant: true } }, reason('PREGNANCY', { pregnant: true })],
      [
        'oxycodone IR 40 mg ×4 = 240 MME/day (≥ 200)',
        { opioids: [opioid('oxycodone', 'IR', 40, 4)] },
        reason('VERY_HIGH_DOSE', { totalDailyMme: 240, veryHighMme: 200 }),
      ],
      [
        'morphine IR 50 mg ×4 = exactly 200 MME/day',
        { opioids: [opioid('morphine', 'IR', 50, 4)] },
        reason('VERY_HIGH_DOSE', { totalDailyMme: 200, veryHighMme: 200 }),
      ],
      [
        'oxycodone ER 30 mg ×2 = exactly 90 MME/day, long-acting',
        { opioids: [opioid('oxycodone', 'ER', 30, 2)] },
        reason('LONG_ACTING_HIGH_DOSE', { longActing: true, totalDailyMme: 90, highDoseMme: 90 }),
      ],
      [
        'benzodiazepines with oxycodone IR 30 mg ×2 = exactly 90 MME/day',
        { opioids: [opioid('oxycodone', 'IR', 30, 2)], medical: { benzodiazepineUse: true } },
        reason('BENZODIAZEPINE_HIGH_DOSE', { benzodiazepineUse: true, totalDailyMme: 90, highDoseMme: 90 }),
      ],
      [
        'a history of seizures',
        { medical: { seizureHistory: true } },
        reason('SEIZURE_OR_COMPLICATED_WITHDRAWAL', { seizureHistory: true, complicatedWithdrawalHistory: false }),
      ],
      [
        'severe complicated withdrawal before',
        { medical: { complicatedWithdrawalHistory: true } },
        reason('SEIZURE_OR_COMPLICATED_WITHDRAWAL', { seizureHistory: false, complicatedWithdrawalHistory: true }),
      ],
    ])('sends %s to hospital first, naming the one rule that fired', async (_, overrides, expected) => {
      // Pain 6 and a willing prescriber: without the hospital rule this patient would go home.
      const decision = await triaged(outpatientBody(overrides));
      expect(decision.pathway).toBe('HOSPITAL_DETOX_FIRST');
      expect(decision.reasons).toEqual([expected]);
    });

    it.each<[string, Json, Pathway, string[]]>([
      ['oxycodone ER 29.5 mg ×2 = 88.5 MME/day, just below the line', { opioids: [opioid('oxycodone', 'ER', 29.5, 2)] }, 'ONSITE_TAPER', ['LONG_ACTING']],
      // Below the high-dose line the hospital is not needed, but benzodiazepines at any dose rule out going home (CDC 2022 Rec 11).
      [
        'benzodiazepines with oxycodone IR 29.5 mg ×2 = 88.5 MME/day',
        { opioids: [opioid('oxycodone', 'IR', 29.5, 2)], medical: { benzodiazepineUse: true } },
        'ONSITE_TAPER',
        ['BENZODIAZEPINE_CO_USE'],
      ],
      ['morphine IR 66.5 mg ×3 = 199.5 MME/day, just below 200', { opioids: [opioid('morphine', 'IR', 66.5, 3)] }, 'ONSITE_TAPER', ['AT_OR_ABOVE_HIGH_DOSE']],
    ])('keeps %s out of hospital', async (_, overrides, pathway, codes) => {
      const decision = await triaged(outpatientBody(overrides));
      expect(decision.pathway).toBe(pathway);
      expect(decision.reasons.map((r) => r.code)).toEqual(codes);
    });

    it('lists every hospital rule that fired, each with the inputs it saw', async () => {
      const decision = await triaged(
        assessmentBody({
          opioids: [opioid('oxycodone', 'ER', 40, 4)],
          medical: { cardiacDisease: true, pregnant: true, benzodiazepineUse: true, seizureHistory: true, complicatedWithdrawalHistory: true },
        }),
      );
      expect(decision.pathway).toBe('HOSPITAL_DETOX_FIRST');
      expect(decision.reasons).toEqual([
        reason('CARDIAC_DISEASE', { cardiacDisease: true }),
        reason('PREGNANCY', { pregnant: true }),
        reason('VERY_HIGH_DOSE', { totalDailyMme: 240, veryHighMme: 200 }),
        reason('LONG_ACTING_HIGH_DOSE', { longActing: true, totalDailyMme: 240, highDoseMme: 90 }),
        reason('BENZODIAZEPINE_HIGH_DOSE', { benzodiazepineUse: true, totalDailyMme: 240, highDoseMme: 90 }),
        reason('SEIZURE_OR_COMPLICATED_WITHDRAWAL', { seizureHistory: true, complicatedWithdrawalHistory: true }),
      ]);
      expect(decision.reasons.find((r) => r.code === 'VERY_HIGH_DOSE')?.message).toMatch(/240.*200/);
    });

    it('offers an outpatient taper only when every condition holds, and lists them all', async () => {
      const decision = await triaged(outpatientBody());
      expect(decision.pathway).toBe('OUTPATIENT_TAPER');
      expect(decision.reasons).toEqual([
        reason('PRESCRIBER_WILLING', { prescriberWillingToTaper: true }),
        reason('STABLE_HOUSEHOLD', { stableHousehold: true }),
        reason('NO_FAILED_HOME_TAPER', { failedHomeTaperAttempts: 0 }),
        reason('NO_LONG_ACTING', { longActing: false }),
        reason('BELOW_HIGH_DOSE', { totalDailyMme: 45, highDoseMme: 90 }),
        reason('PAIN_BELOW_LIMIT', { painScore: 6, outpatientMaxPainScore: 7 }),
        reason('NO_BENZODIAZEPINE', { benzodiazepineUse: false }),
        reason('ALL_OPIOIDS_PRESCRIBED', { nonPrescribedOpioids: '' }),
        reason('NO_MODERATE_OR_SEVERE_OUD', { useDisorderSeverity: 'NONE' }),
        reason('MME_KNOWN', { mmeNotKnownFor: '' }),
      ]);
    });

    describe('what rules a patient out of going home (domain.md §6), each found by trying the service as staff would', () => {
      it('oxycodone that was not prescribed, answered "taken as prescribed": tolerance and withdrawal count, the answers are flagged, on site with OUD treatment offered', async () => {
        const body = outpatientBody({ opioids: [{ ...opioid('oxycodone', 'IR', 10, 3), prescribed: false }], dsm5: { cutDownAttempts: true } });
        const enquiry = await createEnquiry(t, clerk);
        const assessment = (await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(clerk)).send(body).expect(201)).body;
        expect(assessment.dsm5).toEqual({ criteriaMet: 3, criteriaCounted: 3, excluded: [], severity: 'MILD' });
        expect(assessment.classification).toBe('OPIOID_USE_DISORDER');
        expect(assessment.warnings.map((w: Json) => w.code)).toEqual(expect.arrayContaining(['NON_PRESCRIBED_OPIOID', 'INCONSISTENT_ANSWERS']));
        const decision = (await decide(enquiry.id).expect(201)).body as Decision;
        expect(decision.pathway).toBe('ONSITE_TAPER');
        expect(decision.reasons.map((r) => r.code)).toEqual(['NON_PRESCRIBED_OPIOID', 'OFFER_OUD_TREATMENT']);
      });

      it('benzodiazepine co-use at 30 MME/day: on site, not home (CDC 2022 Rec 11)', async () => {
        const decision = await triaged(outpatientBody({ opioids: [opioid('oxycodone', 'IR', 10, 2)], medical: { benzodiazepineUse: true } }));
        expect(decision.pathway).toBe('ONSITE_TAPER');
        expect(decision.reasons).toEqual([reason('BENZODIAZEPINE_CO_USE', { benzodiazepineUse: true })]);
      });

      it('buprenorphine alone: on site, because its load is not known in MME, never "0 MME is below the line"', async () => {
        const buprenorphine = { drug: 'buprenorphine', formulation: 'IR', dose: 8, unit: 'mg', timesPerDay: 1, monthsOnTherapy: 24, prescribed: true };
        const decision = await triaged(outpatientBody({ opioids: [buprenorphine] }));
        expect(decision.pathway).toBe('ONSITE_TAPER');
        expect(decision.reasons.map((r) => r.code)).toEqual(['MME_NOT_KNOWN']);
        expect(decision.reasons[0]!.message).toContain('MME not known for buprenorphine');
        expect(JSON.stringify(decision.reasons)).not.toMatch(/0 MME/);
      });

      it('a moderate use disorder: on site with OUD treatment offered; a mild one may go home but is offered it too', async () => {
        const moderate = await triaged(outpatientBody({ dsm5: { craving: true, largerOrLonger: true, timeSpent: true } }));
        expect(moderate.pathway).toBe('ONSITE_TAPER');
        expect(moderate.reasons.map((r) => r.code)).toEqual(['MODERATE_OR_SEVERE_OUD', 'OFFER_OUD_TREATMENT']);
        const mild = await triaged(outpatientBody({ dsm5: { craving: true, timeSpent: true } }));
        expect(mild.pathway).toBe('OUTPATIENT_TAPER');
        expect(mild.reasons.map((r) => r.code)).toContain('OFFER_OUD_TREATMENT');
      });
    });

    it.each<[string, Json, ExpectedReason]>([
      ['the prescriber will not taper', { social: { prescriberWillingToTaper: false } }, reason('PRESCRIBER_NOT_WILLING', { prescriberWillingToTaper: false })],
      ['the household is not stable', { social: { stableHousehold: false } }, reason('UNSTABLE_HOUSEHOLD', { stableHousehold: false })],
      ['a home taper has failed before', { social: { failedHomeTaperAttempts: 1 } }, reason('FAILED_HOME_TAPER', { failedHomeTaperAttempts: 1 })],
      ['a long-acting opioid is used (oxycodone ER 10 mg ×2 = 30)', { opioids: [opioid('oxycodone', 'ER', 10, 2)] }, reason('LONG_ACTING', { longActing: true })],
      [
        'the dose is at the high-dose line (oxycodone IR 30 mg ×2 = 90)',
        { opioids: [opioid('oxycodone', 'IR', 30, 2)] },
        reason('AT_OR_ABOVE_HIGH_DOSE', { totalDailyMme: 90, highDoseMme: 90 }),
      ],
      ['the pain score is 7', { pain: { score: 7 } }, reason('PAIN_AT_OR_ABOVE_LIMIT', { painScore: 7, outpatientMaxPainScore: 7 })],
      ['a benzodiazepine is used at any dose', { medical: { benzodiazepineUse: true } }, reason('BENZODIAZEPINE_CO_USE', { benzodiazepineUse: true })],
    ])('tapers on site when %s, naming that condition', async (_, overrides, expected) => {
      const decision = await triaged(outpatientBody(overrides));
      expect(decision.pathway).toBe('ONSITE_TAPER');
      expect(decision.reasons).toEqual([expected]);
    });

    it('stores the rule-set version and the current assessment, and the enquiry becomes TRIAGED', async () => {
      const { enquiryId, patientId, assessmentId: first } = await assessed(assessmentBody());
      const second = await t.http.post(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(clerk)).send(assessmentBody({ medical: { respiratoryDisease: true } })).expect(201);
      expect(second.body.id).not.toBe(first);

      const response = await decide(enquiryId).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        enquiryId,
        assessmentId: second.body.id,
        kind: 'RULES',
        pathway: 'HOSPITAL_DETOX_FIRST',
        reasons: [reason('RESPIRATORY_DISEASE', { respiratoryDisease: true })],
        ruleSetVersion: 1,
        overridesDecisionId: null,
        overrideReason: null,
        decidedBy: clerk.id,
        decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      expect(await enquiryStatus(enquiryId)).toBe('TRIAGED');

      const stored = await t.admin.query('SELECT rule_set_version, assessment_id, patient_id, kind FROM triage_decisions WHERE id = $1', [response.body.id]);
      expect(stored.rows).toEqual([{ rule_set_version: 1, assessment_id: second.body.id, patient_id: patientId, kind: 'RULES' }]);
      expect(await auditOf(response)).toEqual([
        expect.objectContaining({ actor_id: clerk.id, action: 'CREATE', resource: 'triage_decision', resource_id: response.body.id, patient_id: patientId }),
      ]);
    });

    it('refuses to triage twice (409) and keeps the first decision', async () => {
      const decision = await triaged();
      const again = await decide(decision.enquiryId).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'INVALID_TRANSITION' });
      expect((await history(decision.enquiryId)).items.map((d) => d.id)).toEqual([decision.id]);
    });

    it('lets only one of several simultaneous triage requests through', async () => {
      const { enquiryId } = await assessed();
      const statuses = await Promise.all(Array.from({ length: 5 }, () => decide(enquiryId).then((r) => r.status)));
      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
      expect((await history(enquiryId)).items).toHaveLength(1);
    });

    it('needs an assessment (409 ASSESSMENT_REQUIRED) and an enquiry that is still open', async () => {
      const fresh = await createEnquiry(t, clerk);
      const noAssessment = await decide(fresh.id).expect(409);
      expect(noAssessment.body).toMatchObject({ statusCode: 409, code: 'ASSESSMENT_REQUIRED' });
      expect(await enquiryStatus(fresh.id)).toBe('NEW');

      const { enquiryId } = await assessed();
      await t.http.post(`${API}/enquiries/${enquiryId}/close`).set(bearer(clerk)).send({ reason: 'Family chose another clinic.' }).expect(200);
      const closed = await decide(enquiryId).expect(409);
      expect(closed.body.code).toBe('INVALID_TRANSITION');

      // Closed before any assessment: the refusal is about the state, not a missing assessment.
      const closedNew = await createEnquiry(t, clerk);
      await t.http.post(`${API}/enquiries/${closedNew.id}/close`).set(bearer(clerk)).send({ reason: 'Wrong number.' }).expect(200);
      expect((await decide(closedNew.id).expect(409)).body.code).toBe('INVALID_TRANSITION');
    });

    it('takes no body: {} is fine, a field (as if choosing the pathway) or an array is a 400 and nothing is decided', async () => {
      const { enquiryId } = await assessed();
      const choosing = await decide(enquiryId).send({ pathway: 'OUTPATIENT_TAPER' }).expect(400);
      expect(choosing.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'pathway', reason: 'property pathway should not exist' }] });
      expect((await decide(enquiryId).send([]).expect(400)).body.details).toEqual([{ field: '(body)', reason: 'must be a JSON object' }]);
      expect(await enquiryStatus(enquiryId)).toBe('ASSESSED');
      expect((await decide(enquiryId).send({}).expect(201)).body.enquiryId).toBe(enquiryId);
    });

    it('answers 404 for an unknown enquiry, 400 for a malformed id, 401 without a token', async () => {
      expect((await decide(MISSING_ID).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await decide('42').expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
      await t.http.post(`${API}/enquiries/${MISSING_ID}/triage`).expect(401);
      await t.http.get(`${API}/enquiries/${MISSING_ID}/triage`).set(bearer(clerk)).expect(404);
    });

    it('is decided by admissions staff only', async () => {
      const { enquiryId } = await assessed();
      for (const who of [psychiatrist, nurse, admin]) await decide(enquiryId, who).expect(403);
      expect(await enquiryStatus(enquiryId)).toBe('ASSESSED');
    });

    it('shows the history to admissions, psychiatrist and admin (audited with the patient), not to a nurse', async () => {
      const decision = await triaged();
      for (const who of [clerk, psychiatrist, admin]) {
        const response = await t.http.get(`${API}/enquiries/${decision.enquiryId}/triage`).set(bearer(who)).expect(200);
        expect(response.body).toEqual({ items: [expect.objectContaining({ id: decision.id })], currentPathway: 'ONSITE_TAPER' });
        expect(await auditOf(response)).toEqual([
          expect.objectContaining({ actor_id: who.id, action: 'READ', resource: 'triage_decision', patient_id: decision.patientId }),
        ]);
      }
      await t.http.get(`${API}/enquiries/${decision.enquiryId}/triage`).set(bearer(nurse)).expect(403);

      const untriaged = await createEnquiry(t, clerk);
      expect(await history(untriaged.id)).toEqual({ items: [], currentPathway: null });
    });
  });

  describe('overrides', () => {
    const HOSPITAL_REASON = 'Unstable angina reported by the cardiologist; partner hospital first.';

    it('lets the psychiatrist override with a reason; both decisions stay readable, the override is current', async () => {
      const original = await triaged();
      expect(original.pathway).toBe('ONSITE_TAPER');

      const response = await override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: `  ${HOSPITAL_REASON}  ` }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        enquiryId: original.enquiryId,
        assessmentId: original.assessmentId,
        kind: 'OVERRIDE',
        pathway: 'HOSPITAL_DETOX_FIRST',
        reasons: [expect.objectContaining({ code: 'OVERRIDE', message: expect.stringContaining(HOSPITAL_REASON) })],
        ruleSetVersion: original.ruleSetVersion,
        overridesDecisionId: original.id,
        overrideReason: HOSPITAL_REASON,
        decidedBy: psychiatrist.id,
        decidedAt: expect.any(String),
      });

      const { items, currentPathway } = await history(original.enquiryId, psychiatrist);
      const { patientId: _, ...originalDecision } = original;
      expect(items).toEqual([originalDecision, response.body]);
      expect(currentPathway).toBe('HOSPITAL_DETOX_FIRST');
      expect(await enquiryStatus(original.enquiryId)).toBe('TRIAGED');
      expect(await auditOf(response)).toEqual([
        expect.objectContaining({
          actor_id: psychiatrist.id, action: 'UPDATE', resource: 'triage_decision', resource_id: response.body.id, patient_id: original.patientId,
          detail: { overrides: original.id, from: 'ONSITE_TAPER', to: 'HOSPITAL_DETOX_FIRST' },
        }),
      ]);
    });

    it('lets an admin override too, and an override can itself be overridden', async () => {
      const original = await triaged();
      const first = await override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }, admin).expect(201);
      const second = await override(first.body.id, { pathway: 'ONSITE_TAPER', reason: 'Cardiology cleared her after review.' }).expect(201);
      expect(second.body.overridesDecisionId).toBe(first.body.id);
      const { items, currentPathway } = await history(original.enquiryId);
      expect(items.map((d) => [d.kind, d.pathway])).toEqual([['RULES', 'ONSITE_TAPER'], ['OVERRIDE', 'HOSPITAL_DETOX_FIRST'], ['OVERRIDE', 'ONSITE_TAPER']]);
      expect(currentPathway).toBe('ONSITE_TAPER');
    });

    it('refuses to override a decision that is no longer current (409 STALE_DECISION)', async () => {
      const original = await triaged();
      await override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }).expect(201);
      const stale = await override(original.id, { pathway: 'OUTPATIENT_TAPER', reason: 'Going home after all.' }).expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, code: 'STALE_DECISION' });
      expect((await history(original.enquiryId)).currentPathway).toBe('HOSPITAL_DETOX_FIRST');
    });

    it('lets exactly one of two simultaneous overrides of one decision win', async () => {
      const original = await triaged();
      const responses = await Promise.all([
        override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }),
        override(original.id, { pathway: 'OUTPATIENT_TAPER', reason: 'Prescriber will taper at home.' }, admin),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)?.body.code).toBe('STALE_DECISION');
      const winner = responses.find((r) => r.status === 201)!;
      const { items, currentPathway } = await history(original.enquiryId);
      expect(items.map((d) => d.id)).toEqual([original.id, winner.body.id]);
      expect(currentPathway).toBe(winner.body.pathway);
    });

    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['no reason', { pathway: 'HOSPITAL_DETOX_FIRST' }, [{ field: 'reason', reason: 'is required' }]],
      ['a blank reason', { pathway: 'HOSPITAL_DETOX_FIRST', reason: '   ' }, [{ field: 'reason', reason: 'must be longer than or equal to 1 characters' }]],
      ['a reason that is not text', { pathway: 'HOSPITAL_DETOX_FIRST', reason: 42 }, [{ field: 'reason', reason: 'must be a string' }]],
      ['a reason over 2000 characters', { pathway: 'HOSPITAL_DETOX_FIRST', reason: 'x'.repeat(2001) }, [{ field: 'reason', reason: 'must be shorter than or equal to 2000 characters' }]],
      [
        'a pathway outside the list',
        { pathway: 'INPATIENT_DETOX', reason: HOSPITAL_REASON },
        [{ field: 'pathway', reason: 'must be one of the following values: HOSPITAL_DETOX_FIRST, ONSITE_TAPER, OUTPATIENT_TAPER' }],
      ],
      ['no pathway', { reason: HOSPITAL_REASON }, [{ field: 'pathway', reason: 'is required' }]],
      ['an unknown field', { pathway: 'ONSITE_TAPER', reason: HOSPITAL_REASON, urgent: true }, [{ field: 'urgent', reason: 'property urgent should not exist' }]],
    ])('refuses an override with %s (400) and records nothing', async (_, body, details) => {
      const original = await triaged();
      const response = await override(original.id, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect((await history(original.enquiryId)).items).toHaveLength(1);
    });

    it('is for psychiatrists and admins only; an unknown decision is a 404', async () => {
      const original = await triaged();
      for (const who of [clerk, nurse]) await override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }, who).expect(403);
      await t.http.post(`${API}/triage/${original.id}/override`).send({ pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }).expect(401);
      const missing = await override(MISSING_ID, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }).expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      await override('not-a-uuid', { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }).expect(400);
      expect((await history(original.enquiryId)).items).toHaveLength(1);
    });

    it('an override to OUTPATIENT_TAPER blocks admission; an override back to ONSITE_TAPER allows it', async () => {
      const original = await triaged();
      const admit = (enquiryId: string) => t.http.post(`${API}/enquiries/${enquiryId}/admissions`).set(bearer(clerk)).send({ admittedOn: '2027-01-04' });

      const home = await override(original.id, { pathway: 'OUTPATIENT_TAPER', reason: 'Prescriber agreed to a slow home taper.' }).expect(201);
      const refused = await admit(original.enquiryId).expect(409);
      expect(refused.body).toMatchObject({ statusCode: 409, code: 'PATHWAY_NOT_RESIDENTIAL' });
      expect(await enquiryStatus(original.enquiryId)).toBe('TRIAGED');

      const back = await override(home.body.id, { pathway: 'ONSITE_TAPER', reason: 'Home taper not feasible after all.' }).expect(201);
      const admission = await admit(original.enquiryId).expect(201);
      expect(admission.body).toMatchObject({ pathway: 'ONSITE_TAPER', triageDecisionId: back.body.id, viaPartnerHospital: false });
    });

    it('refuses an override once the patient is admitted (409 INVALID_TRANSITION)', async () => {
      const original = await triaged();
      await t.http.post(`${API}/enquiries/${original.enquiryId}/admissions`).set(bearer(clerk)).send({ admittedOn: '2027-01-04' }).expect(201);
      const late = await override(original.id, { pathway: 'HOSPITAL_DETOX_FIRST', reason: HOSPITAL_REASON }).expect(409);
      expect(late.body.code).toBe('INVALID_TRANSITION');
      expect((await history(original.enquiryId)).items).toHaveLength(1);
    });
  });

  // Last, because it changes the thresholds every later triage would use.
  describe('settings', () => {
    const DEFAULTS = { highDoseMme: 90, veryHighMme: 200, outpatientMaxPainScore: 7 };
    const put = (body: Json, as: Staff = admin) => t.http.put(SETTINGS).set(bearer(as)).send(body);
    const current = async () => (await t.http.get(SETTINGS).set(bearer(admin)).expect(200)).body;

    afterAll(async () => {
      await put(DEFAULTS).expect(200);
    });

    it('starts at version 1 with the defaults 90 / 200 / 7, readable by the admin only', async () => {
      const response = await t.http.get(SETTINGS).set(bearer(admin)).expect(200);
      expect(response.body).toEqual({ ruleSetVersion: 1, ...DEFAULTS, createdBy: null, createdAt: expect.any(String) });
      for (const who of [clerk, psychiatrist, nurse]) await t.http.get(SETTINGS).set(bearer(who)).expect(403);
      await t.http.get(SETTINGS).expect(401);
    });

    it('may be changed by an admin only', async () => {
      for (const who of [psychiatrist, clerk, nurse]) await put({ ...DEFAULTS, highDoseMme: 60 }, who).expect(403);
      expect((await current()).ruleSetVersion).toBe(1);
    });

    it.each<[string, Json, { field: string; reason: string }[]]>([
      ['veryHighMme equal to highDoseMme', { highDoseMme: 120, veryHighMme: 120 }, [{ field: 'veryHighMme', reason: 'must be greater than highDoseMme' }]],
      ['veryHighMme below highDoseMme', { highDoseMme: 150, veryHighMme: 100 }, [{ field: 'veryHighMme', reason: 'must be greater than highDoseMme' }]],
      ['highDoseMme of 0', { highDoseMme: 0 }, [{ field: 'highDoseMme', reason: 'must not be less than 1' }]],
      ['a negative veryHighMme', { veryHighMme: -5 }, [{ field: 'veryHighMme', reason: 'must not be less than 1' }]],
      ['veryHighMme above 10000', { veryHighMme: 10_001 }, [{ field: 'veryHighMme', reason: 'must not be greater than 10000' }]],
      ['a pain limit of 11', { outpatientMaxPainScore: 11 }, [{ field: 'outpatientMaxPainScore', reason: 'must not be greater than 10' }]],
      ['a pain limit of 0', { outpatientMaxPainScore: 0 }, [{ field: 'outpatientMaxPainScore', reason: 'must not be less than 1' }]],
      ['a fractional pain limit', { outpatientMaxPainScore: 6.5 }, [{ field: 'outpatientMaxPainScore', reason: 'must be an integer number' }]],
      ['highDoseMme as a string', { highDoseMme: '90' }, [{ field: 'highDoseMme', reason: 'must be a number conforming to the specified constraints' }]],
      ['a missing veryHighMme', { veryHighMme: undefined }, [{ field: 'veryHighMme', reason: 'is required' }]],
      ['an unknown field', { lowDoseMme: 50 }, [{ field: 'lowDoseMme', reason: 'property lowDoseMme should not exist' }]],
      [
        'an empty body',
        { highDoseMme: undefined, veryHighMme: undefined, outpatientMaxPainScore: undefined },
        ['highDoseMme', 'veryHighMme', 'outpatientMaxPainScore'].map((field) => ({ field, reason: 'is required' })),
      ],
    ])('refuses %s (400, naming the field) and keeps the version', async (_, change, details) => {
      const before = (await current()).ruleSetVersion;
      const response = await put({ ...DEFAULTS, ...change }).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details });
      expect((await current()).ruleSetVersion).toBe(before);
    });

    it('a change is a new version that later triage uses, while earlier decisions keep theirs', async () => {
      // Benzodiazepines with 60 MME/day: on site under 90, hospital first once the line is 60.
      const body = assessmentBody({ opioids: [opioid('oxycodone', 'IR', 20, 2)], medical: { benzodiazepineUse: true } });
      const before = await triaged(body);
      expect(before).toMatchObject({ pathway: 'ONSITE_TAPER', ruleSetVersion: 1 });

      const response = await put({ highDoseMme: 60, veryHighMme: 150.5, outpatientMaxPainScore: 5 }).expect(200);
      expect(response.body).toEqual({ ruleSetVersion: 2, highDoseMme: 60, veryHighMme: 150.5, outpatientMaxPainScore: 5, createdBy: admin.id, createdAt: expect.any(String) });
      expect(await current()).toEqual(response.body);
      expect(await auditOf(response)).toEqual([
        {
          actor_id: admin.id, action: 'UPDATE', resource: 'triage_settings', resource_id: '2', patient_id: null,
          detail: { highDoseMme: 60, veryHighMme: 150.5, outpatientMaxPainScore: 5, previousVersion: 1 },
        },
      ]);

      const after = await triaged(body);
      expect(after.pathway).toBe('HOSPITAL_DETOX_FIRST');
      expect(after.ruleSetVersion).toBe(2);
      expect(after.reasons).toEqual([reason('BENZODIAZEPINE_HIGH_DOSE', { benzodiazepineUse: true, totalDailyMme: 60, highDoseMme: 60 })]);

      const earlier = await history(before.enquiryId);
      expect(earlier.items.map((d) => [d.pathway, d.ruleSetVersion])).toEqual([['ONSITE_TAPER', 1]]);
      const stored = await t.admin.query('SELECT version, high_dose_mme FROM triage_rule_sets ORDER BY version');
      expect(stored.rows).toEqual([{ version: 1, high_dose_mme: '90.00' }, { version: 2, high_dose_mme: '60.00' }]);
    });

    it('gives two simultaneous changes two different versions', async () => {
      const before = (await current()).ruleSetVersion;
      const responses = await Promise.all([put({ ...DEFAULTS, highDoseMme: 80 }), put({ ...DEFAULTS, highDoseMme: 85 })]);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(responses.map((r) => r.body.ruleSetVersion).sort()).toEqual([before + 1, before + 2]);
      const latest = responses.find((r) => r.body.ruleSetVersion === before + 2)!;
      expect(await current()).toMatchObject({ ruleSetVersion: before + 2, highDoseMme: latest.body.highDoseMme });
    });
  });
});
