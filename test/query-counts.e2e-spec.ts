/**
 * The benchmark's scenarios (bench/scenarios.ts) issue a fixed number of SQL statements, however
 * much data lies behind them: a query per row (N+1) would pass every functional test and only
 * show as a slow screen once the clinic is busy. Each endpoint is counted on a small and on a
 * large data set, and the count is pinned so that an extra round trip is a deliberate change.
 * The handoff (test/aftercare), the nurses' dose list (test/taper-orders) and the patient search
 * (test/patients) are counted beside their other tests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admitPatient, assessmentBody, createEnquiry } from './support/intake.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
const MINUTE = 60_000;

type Json = Record<string, unknown>;

describe('SQL statements per request of each benchmarked endpoint', () => {
  let t: TestApp;
  let admissions: Staff;
  let nurse: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions, nurse } = await staffForEveryRole(t));
  });

  afterAll(async () => {
    await t.close();
  });

  /** The statements of one request, run alone (the recorder counts everything the app sends). */
  async function count(send: () => PromiseLike<{ status: number; body: Json }>, status: number): Promise<{ statements: string[]; body: Json }> {
    const { result, statements } = await recordStatements(t, async () => send());
    expect(result.status).toBe(status);
    return { statements, body: result.body };
  }

  const enquiryPage = (query: Json) => t.http.get(`${API}/enquiries`).query(query).set(bearer(admissions));
  const newEnquiry = () => t.http.post(`${API}/enquiries`).set(bearer(admissions)).send({ contactName: 'Anna Keller', relationship: 'FAMILY', contactPhone: '+66 81 555 0101' });
  const painScore = (admissionId: string, score: number) =>
    t.http.post(`${API}/admissions/${admissionId}/observations`).set(bearer(nurse)).send({ type: 'PAIN', recordedAt: new Date(t.clock.now().getTime() - MINUTE).toISOString(), score });

  it('GET /assessments/:id: 3, with one opioid or with ten', async () => {
    const opioid = (drug: string) => ({ drug, formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 12, prescribed: true });
    const ids: string[] = [];
    for (const opioids of [[opioid('oxycodone')], ['oxycodone', 'morphine', 'hydromorphone', 'oxycodone', 'morphine', 'tramadol', 'codeine', 'tapentadol', 'oxycodone', 'morphine'].map(opioid)]) {
      const enquiry = await createEnquiry(t, admissions);
      const response = await t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(admissions)).send(assessmentBody({ opioids })).expect(201);
      ids.push(response.body.id);
    }
    const small = await count(() => t.http.get(`${API}/assessments/${ids[0]}`).set(bearer(admissions)), 200);
    const large = await count(() => t.http.get(`${API}/assessments/${ids[1]}`).set(bearer(admissions)), 200);
    expect(large.body.mme as unknown[]).toHaveLength(10);
    // The signed-in user, the assessment, the READ audit row.
    expect(small.statements).toHaveLength(3);
    expect(large.statements).toHaveLength(3);
  });

  it('GET /enquiries: 3 for page 1 and for a deep page, with 10 enquiries or with 250', async () => {
    for (let i = 0; i < 10; i++) await createEnquiry(t, admissions);
    const few = await count(() => enquiryPage({ limit: 50 }), 200);
    await Promise.all(Array.from({ length: 240 }, () => newEnquiry().expect(201)));
    const page1 = await count(() => enquiryPage({ limit: 50 }), 200);
    let cursor = page1.body.nextCursor as string;
    for (let i = 0; i < 3; i++) cursor = (await enquiryPage({ limit: 50, cursor }).expect(200)).body.nextCursor;
    const deep = await count(() => enquiryPage({ limit: 50, cursor }), 200);
    expect(page1.body.items).toHaveLength(50);
    expect(deep.body.items).toHaveLength(50);
    // The signed-in user, the page (one more row than asked, to know whether more follow), the READ audit row.
    for (const run of [few, page1, deep]) expect(run.statements).toHaveLength(3);
  });

  it('POST /enquiries: 5, whether the list is short or long', async () => {
    const first = await count(newEnquiry, 201);
    await Promise.all(Array.from({ length: 100 }, () => newEnquiry().expect(201)));
    const later = await count(newEnquiry, 201);
    // The signed-in user, BEGIN, the insert, the CREATE audit row, COMMIT.
    expect(first.statements).toHaveLength(5);
    expect(later.statements).toHaveLength(5);
  });

  it('POST /admissions/:id/observations (pain): 6, for the first score of a stay or the 61st', async () => {
    // Admitted a month ago: observations are recorded now, within the stay.
    const admittedOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const { admissionId } = await admitPatient(t, admissions, exampleIntakeBody({ patient: { familyName: 'Countwell' } }), admittedOn);
    const first = await count(() => painScore(admissionId, 6), 201);
    for (let i = 0; i < 60; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => painScore(admissionId, (i + j) % 11).expect(201)));
    const later = await count(() => painScore(admissionId, 5), 201);
    expect(later.body.score).toBe(5);
    // The signed-in user, BEGIN, the admission (locked: is the stay active?), the insert, the CREATE audit row, COMMIT.
    expect(first.statements).toHaveLength(6);
    expect(later.statements).toHaveLength(6);
  });
});
