import { searchTerms } from '../src/common/search/search-terms.js';
import { patientSearchStatement } from '../src/modules/patients/patient-search.js';
import { administrationRequests } from './administration-requests.js';
import type { SeededData, Staff } from './seed.js';

export interface ScenarioRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/**
 * Writes that may not repeat (an idempotency key, a day's limit): every request is drawn once,
 * in turn, across both servers, the checks and every round.
 */
export interface RequestSource {
  /** The next request under load. */
  next(): ScenarioRequest;
  /**
   * For the comparison: a request for the app and its twin for the baseline, alike but for the
   * idempotency key, on the same record, so that both are accepted and their answers can match.
   */
  twins(): [ScenarioRequest, ScenarioRequest];
  /** What was drawn so far, for the log; `short` when the intended mix could not be kept. */
  summary(): { text: string; short: boolean };
}

/**
 * One endpoint under load. Requests rotate through `requests` (each autocannon connection walks
 * the list), so reads do not hit one row only. Reads come first in the run: the writes add
 * enquiries and observations, and the reads must see the same data on both servers.
 */
export interface Scenario {
  name: string;
  title: string;
  staff: Staff;
  /** Each connection walks this list (unused with `source`). */
  requests: ScenarioRequest[];
  /** Instead of `requests`: writes drawn one at a time, never repeated. */
  source?: RequestSource;
  /** Top-level keys whose values differ between two correct answers (new ids, clocks). */
  volatileKeys: string[];
  expectStatus: number;
  /** How many of `requests` (or pairs of twins of `source`) are checked against the baseline before the load (reads are cheap to check). */
  checks: number;
  /** Statements to show the plan of (EXPLAIN ANALYZE) before the load: what both servers send for some requests. */
  explain?: { label: string; sql: string; values: unknown[] }[];
  /** Connections for this scenario instead of the run's (a search box is a few staff typing, not 50). */
  connections?: number;
  /** The app's p95 latency this scenario must stay within (ms); the run reports whether it did. */
  p95TargetMs?: number;
}

export const SCENARIO_NAMES = ['assessment', 'enquiries-page1', 'enquiries-deep', 'handoff', 'search-patients', 'nurses-list', 'enquiry-create', 'observation-create', 'administration-create'] as const;

/** The scenario that needs the large patient register (bench/patients.ts) seeded first. */
export const SEARCH_SCENARIO = 'search-patients';

/** Results a search asks for: what a search box shows. */
const SEARCH_PAGE = 20;

/** Which of the search queries (see searchQueries) to show the plan of, and what each is. */
const EXPLAINED: [number, string][] = [
  [0, 'start of a Latin surname'],
  [4, 'Thai full name'],
  [9, 'Chinese name, 2 characters'],
  [5, 'phone, other format'],
  [8, 'start of an email'],
  [7, 'HN with its prefix'],
  [17, 'digits alone: an HN or part of a phone'],
];

export const API = '/api/v1';

export function buildScenarios(data: SeededData, deepCursor: string, observedAt: string, searches: string[]): Scenario[] {
  const { staff } = data;
  const rotate = (ids: string[], max = 200) => ids.slice(0, max);
  const enquiryBody = JSON.stringify({
    contactName: 'Anna Keller',
    contactPhone: '+41 79 555 01 23',
    contactEmail: 'Anna.Keller@example.org',
    relationship: 'FAMILY',
    source: 'GP referral',
    summary: 'Her father has taken oxycodone for back pain for six years and wants to stop.',
  });
  return [
    {
      name: 'assessment',
      title: 'GET /assessments/:id',
      staff: staff.admissions,
      requests: rotate(data.assessmentIds).map((id) => ({ method: 'GET', path: `${API}/assessments/${id}` })),
      volatileKeys: [],
      expectStatus: 200,
      checks: 10,
    },
    {
      name: 'enquiries-page1',
      title: 'GET /enquiries?limit=50',
      staff: staff.admissions,
      requests: [{ method: 'GET', path: `${API}/enquiries?limit=50` }],
      volatileKeys: [],
      expectStatus: 200,
      checks: 1,
    },
    {
      name: 'enquiries-deep',
      title: 'GET /enquiries?limit=50&cursor=(deep)',
      staff: staff.admissions,
      requests: [{ method: 'GET', path: `${API}/enquiries?limit=50&cursor=${encodeURIComponent(deepCursor)}` }],
      volatileKeys: [],
      expectStatus: 200,
      checks: 1,
    },
    {
      name: 'handoff',
      title: 'GET /admissions/:id/handoff',
      staff: staff.aftercare,
      requests: rotate(data.dischargedAdmissionIds).map((id) => ({ method: 'GET', path: `${API}/admissions/${id}/handoff` })),
      volatileKeys: ['generatedAt'],
      expectStatus: 200,
      // Every stay: amended and unamended tapers, short and long stays.
      checks: Number.POSITIVE_INFINITY,
    },
    {
      name: SEARCH_SCENARIO,
      title: `GET /patients?q=&limit=${SEARCH_PAGE} (${searches.length} searches)`,
      staff: staff.admissions,
      // A search box shows the best 20, not a list's 50: each patient listed is a row on the audit trail.
      requests: searches.map((q) => ({ method: 'GET', path: `${API}/patients?q=${encodeURIComponent(q)}&limit=${SEARCH_PAGE}` })),
      volatileKeys: [],
      expectStatus: 200,
      checks: 30,
      // The target is that of a front desk: p95 within 50 ms with 10 searches in flight.
      connections: 10,
      p95TargetMs: 50,
      explain: EXPLAINED.filter(([i]) => i < searches.length).map(([i, label]) => ({
        label: `${label}: ${JSON.stringify(searches[i])}`,
        ...patientSearchStatement(searchTerms(searches[i]!), { after: null, limit: SEARCH_PAGE }),
      })),
    },
    {
      name: 'nurses-list',
      title: 'GET /taper-doses?date=(today)',
      staff: staff.nurse,
      // The whole ward: every patient's taper, pain-plan and as-needed orders, and this morning's round.
      requests: [{ method: 'GET', path: `${API}/taper-doses?date=${data.today}` }],
      volatileKeys: [],
      expectStatus: 200,
      checks: 1,
    },
    {
      name: 'enquiry-create',
      title: 'POST /enquiries',
      staff: staff.admissions,
      requests: [{ method: 'POST', path: `${API}/enquiries`, body: enquiryBody }],
      volatileKeys: ['id', 'createdAt', 'updatedAt'],
      expectStatus: 201,
      checks: 1,
    },
    {
      name: 'observation-create',
      title: 'POST /admissions/:id/observations (PAIN)',
      staff: staff.nurse,
      requests: rotate(data.activeAdmissionIds).map((id, k) => ({
        method: 'POST',
        path: `${API}/admissions/${id}/observations`,
        body: JSON.stringify({ type: 'PAIN', recordedAt: observedAt, score: k % 11 }),
      })),
      volatileKeys: ['id', 'createdAt'],
      expectStatus: 201,
      checks: 1,
    },
    {
      name: 'administration-create',
      title: 'POST /admissions/:id/administrations',
      staff: staff.nurse,
      requests: [],
      source: administrationRequests(data.ward, data.seededAt, staff.witness.id),
      volatileKeys: ['id', 'createdAt'],
      expectStatus: 201,
      // One of each kind of the mix, a GIVEN taper dose first (the statements reported are its).
      checks: 4,
    },
  ];
}
