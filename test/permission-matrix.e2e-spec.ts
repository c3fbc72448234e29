import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { ROLES, type Role } from '../src/common/auth/role.js';
import { routeTable, type RouteAccess } from './support/route-table.js';
import { bearer, staffForEveryRole, type StaffForEveryRole } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Who may call what, written down from api.md as data, then checked by calling every route as
 * every role and as nobody. The reviewed table (routes.e2e-spec.ts) shows what the controllers
 * declare; this shows what the running guard does, and that both match the contract.
 */
type Allowed = 'public' | 'any staff' | readonly Role[];

interface Expectation {
  allowed: Allowed;
  /** Roles that may call the route only to search (a non-empty `q`). */
  searchers?: readonly Role[];
  /** Where it comes from: api.md (heading or per-route note), or a project decision where api.md is silent. */
  source: string;
}

const ENQUIRIES = 'api.md "Enquiries, intake, triage (admissions; psychiatrist may read and override)"';
const ADMISSIONS_WRITE: Expectation = { allowed: ['admissions'], source: ENQUIRIES };
const ADMISSIONS_READ: Expectation = { allowed: ['admissions', 'psychiatrist'], source: ENQUIRIES };
const PAIN_PLAN_WRITE: Expectation = { allowed: ['psychiatrist'], source: 'api.md "Pain plan (psychiatrist writes; nurse, aftercare read)"' };
const PSYCHIATRIST: Expectation = { allowed: ['psychiatrist'], source: 'api.md taper orders "(psychiatrist)"' };
const TAPER_READ: Expectation = { allowed: ['psychiatrist', 'nurse', 'aftercare'], source: 'decision (api.md silent): those who give, watch and hand off the taper read it' };
const BILLING: Expectation = { allowed: ['billing'], source: 'api.md "Billing (billing staff; psychiatrist records consults)"' };
const AFTERCARE_WRITE: Expectation = { allowed: ['aftercare'], source: 'api.md "Discharge and aftercare (aftercare coordinator; psychiatrist may read)"' };
const AFTERCARE_READ: Expectation = { allowed: ['aftercare', 'psychiatrist'], source: 'api.md "Discharge and aftercare (aftercare coordinator; psychiatrist may read)"' };
const ADMIN: Expectation = { allowed: ['admin'], source: 'api.md (admin)' };
const STAY_READ: Expectation = {
  allowed: ['admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare'],
  source: `${ENQUIRIES}; decision: nurse, billing and aftercare work on admissions by id, so they read them (not admin: no patient data for admin)`,
};

/** The expected matrix: every route of the app, with who may call it. */
const EXPECTED: Record<string, Expectation> = {
  // Health and auth
  'GET /api/v1/health': { allowed: 'public', source: 'api.md "Auth … on everything except POST /auth/login, POST /auth/refresh and GET /health"' },
  'POST /api/v1/auth/login': { allowed: 'public', source: 'api.md Conventions: no token for login' },
  'POST /api/v1/auth/refresh': { allowed: 'public', source: 'api.md Conventions: no token for refresh' },
  'POST /api/v1/auth/logout': { allowed: 'any staff', source: 'api.md Auth: any signed-in staff member ends their session' },
  'GET /api/v1/auth/me': { allowed: 'any staff', source: 'api.md Auth: the signed-in user' },
  'POST /api/v1/auth/password': { allowed: 'any staff', source: 'api.md Auth v1.1: POST /auth/password (any signed-in user)' },
  'GET /api/v1/health/live': { allowed: 'public', source: 'api.md Health (v1.1 issue): liveness beside /health, no token' },
  'GET /api/v1/health/ready': { allowed: 'public', source: 'api.md Health (v1.1 issue): readiness beside /health, no token' },

  // Staff accounts
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users': ADMIN,
  'GET /api/v1/users/:id': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,

  // Enquiries, intake, triage
  'POST /api/v1/enquiries': ADMISSIONS_WRITE,
  'GET /api/v1/enquiries': {
    ...ADMISSIONS_READ,
    searchers: ['nurse', 'aftercare', 'billing'],
    source: `${ENQUIRIES}; api.md v1.1 "GET /enquiries?q= … (admissions, psychiatrist, nurse, aftercare, billing)": the others find, admissions browse`,
  },
  'GET /api/v1/enquiries/:id': ADMISSIONS_READ,
  'POST /api/v1/enquiries/:id/close': ADMISSIONS_WRITE,
  'POST /api/v1/enquiries/:id/refer': { allowed: ['admissions', 'psychiatrist'], source: `${ENQUIRIES}: referring a triaged enquiry elsewhere overrides the pathway` },
  'POST /api/v1/enquiries/:id/decline': { allowed: ['admissions', 'psychiatrist'], source: `${ENQUIRIES}: declining a triaged enquiry overrides the pathway` },
  'POST /api/v1/enquiries/:id/assessment': ADMISSIONS_WRITE,
  'GET /api/v1/enquiries/:id/assessment': ADMISSIONS_READ,
  'GET /api/v1/enquiries/:id/assessments': ADMISSIONS_READ,
  'GET /api/v1/assessments/:id': ADMISSIONS_READ,
  'POST /api/v1/enquiries/:id/triage': ADMISSIONS_WRITE,
  'GET /api/v1/enquiries/:id/triage': {
    allowed: ['admissions', 'psychiatrist', 'admin'],
    source: 'api.md override "(psychiatrist, admin) … both decisions stay readable at GET /enquiries/:id/triage": who may override reads what they override',
  },
  'POST /api/v1/triage/:id/override': { allowed: ['psychiatrist', 'admin'], source: 'api.md "POST /triage/:id/override (psychiatrist, admin)"' },
  'GET /api/v1/settings/triage': { allowed: ['admin'], source: 'api.md "GET /settings/triage (admin)"; each decision shows the thresholds it used' },
  'PUT /api/v1/settings/triage': { allowed: ['admin'], source: 'api.md "PUT /settings/triage (admin)"' },
  'POST /api/v1/enquiries/:id/admissions': ADMISSIONS_WRITE,

  // Patients (v1.1)
  'GET /api/v1/patients': { allowed: ['admissions', 'psychiatrist', 'nurse', 'aftercare', 'billing'], source: 'api.md v1.1 "GET /patients?q= (admissions, psychiatrist, nurse, aftercare, billing)"' },
  'GET /api/v1/patients/:id': {
    allowed: ['admissions', 'psychiatrist', 'nurse', 'aftercare', 'billing'],
    source: 'api.md v1.1 search line; decision: whoever may find a patient opens the record found (not admin: no patient data for admin)',
  },
  'GET /api/v1/admissions': STAY_READ,
  'GET /api/v1/admissions/:id': STAY_READ,

  // Taper orders and observations
  'POST /api/v1/admissions/:id/taper-orders': PSYCHIATRIST,
  'GET /api/v1/admissions/:id/taper-orders': TAPER_READ,
  'GET /api/v1/taper-orders/:id': TAPER_READ,
  'POST /api/v1/taper-orders/:id/sign': PSYCHIATRIST,
  'POST /api/v1/taper-orders/:id/amendments': PSYCHIATRIST,
  'POST /api/v1/taper-orders/:id/discontinue': PSYCHIATRIST,
  'GET /api/v1/taper-doses': { allowed: ['nurse', 'psychiatrist'], source: 'api.md "GET /taper-doses (nurse, psychiatrist)"' },
  'POST /api/v1/admissions/:id/observations': { allowed: ['nurse', 'psychiatrist'], source: 'api.md "POST /admissions/:id/observations (nurse, psychiatrist)"' },
  'GET /api/v1/admissions/:id/observations': TAPER_READ,

  // Pain plan and dispensing
  'POST /api/v1/admissions/:id/pain-plan/medications': PAIN_PLAN_WRITE,
  'POST /api/v1/pain-plan/medications/:id/discontinue': PAIN_PLAN_WRITE,
  'POST /api/v1/admissions/:id/pain-plan/therapies': PAIN_PLAN_WRITE,
  'POST /api/v1/admissions/:id/assessment': { allowed: ['admissions', 'psychiatrist'], source: 'domain.md §7 "the admission\'s latest intake assessment": admissions record the intake, the psychiatrist finds what it missed' },
  'POST /api/v1/admissions/:id/as-needed-orders': { allowed: ['psychiatrist'], source: 'api.md "POST /admissions/:id/as-needed-orders (psychiatrist)"' },
  'POST /api/v1/admissions/:id/administrations': { allowed: ['nurse'], source: 'api.md "POST /admissions/:id/administrations (nurse)"' },
  'POST /api/v1/administrations/:id/void': { allowed: ['nurse'], source: 'decision (api.md silent): the nurses who keep the record correct it' },
  'GET /api/v1/admissions/:id/administrations': { allowed: ['nurse', 'psychiatrist', 'aftercare'], source: 'api.md "GET /admissions/:id/administrations (nurse, psychiatrist, aftercare)"' },
  'GET /api/v1/admissions/:id/medication-balance': { allowed: ['nurse', 'psychiatrist'], source: 'api.md "GET /admissions/:id/medication-balance (nurse, psychiatrist)"' },
  'POST /api/v1/as-needed-orders/:id/discontinue': { allowed: ['psychiatrist'], source: 'api.md: the psychiatrist who orders as-needed medicine discontinues it' },
  'GET /api/v1/admissions/:id/pain-plan': { allowed: ['psychiatrist', 'nurse', 'aftercare'], source: 'api.md "Pain plan (psychiatrist writes; nurse, aftercare read)"' },
  'POST /api/v1/admissions/:id/dispensations': { allowed: ['nurse'], source: 'api.md "POST /admissions/:id/dispensations (nurse)"' },
  'GET /api/v1/admissions/:id/dispensations': { allowed: ['nurse', 'psychiatrist', 'billing'], source: 'decision (api.md silent): who dispenses, prescribes and bills it' },
  'POST /api/v1/dispensations/:id/void': { allowed: ['nurse'], source: 'decision (api.md silent): the nurses who dispense correct a mistaken dispensation, as they void a mistaken dose' },

  // Billing
  'GET /api/v1/billing/catalog': {
    allowed: 'any staff',
    source: 'decision: the catalogue (what the fee includes, today’s prices) holds no patient data; the front desk quotes it (billing.e2e "readable by every signed-in role")',
  },
  'GET /api/v1/billing/prices': { allowed: ['billing', 'admin'], source: 'decision (api.md silent): billing staff keep prices (domain.md §10); admin reads rule data' },
  'POST /api/v1/billing/prices': { allowed: ['billing'], source: 'domain.md §10 "Prices are data that billing staff can change"' },
  'POST /api/v1/admissions/:id/charges': BILLING,
  'GET /api/v1/admissions/:id/charges': BILLING,
  'POST /api/v1/charges/:id/void': { allowed: ['billing'], source: 'domain.md §1: billing "records billable extras"; decision (api.md silent): who records a charge corrects it' },
  'POST /api/v1/admissions/:id/psychiatric-consults': { allowed: ['psychiatrist'], source: 'api.md "POST /admissions/:id/psychiatric-consults (psychiatrist)"' },
  'GET /api/v1/admissions/:id/psychiatric-consults': { allowed: ['psychiatrist', 'billing'], source: 'api.md Billing heading: billing staff, and the psychiatrist who records them' },
  'POST /api/v1/psychiatric-consults/:id/void': {
    allowed: ['psychiatrist'],
    source: 'decision (api.md silent): the psychiatrist who records a consult corrects it; a consult is a clinical record (billing sees it without its notes), so billing asks for the void, as nurses void dispensations',
  },
  'POST /api/v1/admissions/:id/invoices': BILLING,
  'GET /api/v1/admissions/:id/invoices': BILLING,
  'GET /api/v1/invoices/:id': BILLING,
  'POST /api/v1/invoices/:id/issue': BILLING,
  'POST /api/v1/invoices/:id/payments': BILLING,
  'POST /api/v1/invoices/:id/void': BILLING,
  'POST /api/v1/payments/:id/void': { allowed: ['billing'], source: 'domain.md §1: billing "records payments"; decision (api.md silent): who records a payment corrects it' },

  // Discharge and aftercare
  'POST /api/v1/admissions/:id/discharge': AFTERCARE_WRITE,
  'POST /api/v1/admissions/:id/consent': AFTERCARE_WRITE,
  'GET /api/v1/admissions/:id/handoff': AFTERCARE_READ,
  'GET /api/v1/admissions/:id/aftercare': AFTERCARE_READ,
  'PATCH /api/v1/aftercare/check-ins/:id': AFTERCARE_WRITE,

  // Audit
  'GET /api/v1/audit-events': { allowed: ['admin'], source: 'api.md "Audit (admin)"' },
  'GET /api/v1/audit-events/verify': { allowed: ['admin'], source: 'api.md "Audit (admin)"' },
};

type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = [...ROLES, 'anonymous'];
type Outcome = 'allowed' | 'denied' | 'unauthenticated';

function expectedOutcome(expectation: Expectation, caller: Caller): Outcome {
  const { allowed } = expectation;
  if (allowed === 'public') return 'allowed';
  if (caller === 'anonymous') return 'unauthenticated';
  if (allowed === 'any staff') return 'allowed';
  return allowed.includes(caller) ? 'allowed' : 'denied';
}

/** 401 and 403 come from the guard; anything else (200, 201, 204, 400, 404, 409, 422) means it let the request through. */
function outcomeOf(status: number): Outcome {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  return 'allowed';
}

const keyOf = (route: RouteAccess) => `${route.method} ${route.path}`;

/** The access rule as route-table.ts describes it, for comparing the data above with the controllers. */
function describeAllowed({ allowed, searchers }: Expectation): string {
  const roles = typeof allowed === 'string' ? allowed : [...allowed].sort().join(', ');
  return searchers ? `${roles}; with q also ${[...searchers].sort().join(', ')}` : roles;
}

interface Cell {
  route: RouteAccess;
  caller: Caller;
  expected: Outcome;
  /** Why it is expected (api.md or a project decision). */
  source: string;
  actual: Outcome;
  status: number;
  resourceId: string | null;
  correlationId: string;
}

describe('permission matrix: every route × every role × anonymous', () => {
  let t: TestApp;
  let staff: StaffForEveryRole;
  let routes: RouteAccess[];
  const cells: Cell[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
    routes = routeTable(t.app);
    for (const route of routes) {
      const expectation = EXPECTED[keyOf(route)];
      if (!expectation) continue;
      for (const caller of CALLERS) cells.push(await call(route, caller, expectation));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function call(route: RouteAccess, caller: Caller, expectation: Expectation): Promise<Cell> {
    // A fresh random id for every request: nothing is found, so nothing a permitted caller sends can change a record.
    const resourceId = route.path.includes('/:') ? randomUUID() : null;
    const url = route.path.replace(/:[A-Za-z]+/g, resourceId ?? '');
    let request = t.http[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](url);
    if (caller !== 'anonymous') request = request.set(bearer(staff[caller]));
    // An empty body: an allowed caller gets 400 (or 404 for the random id), never a change.
    const response: Response = route.takesBody ? await request.send({}) : await request;
    return {
      route,
      caller,
      expected: expectedOutcome(expectation, caller),
      source: expectation.source,
      actual: outcomeOf(response.status),
      status: response.status,
      resourceId,
      correlationId: String(response.headers['x-correlation-id']),
    };
  }

  it('has an expectation for exactly the routes the app serves', () => {
    const served = routes.map(keyOf).sort();
    expect(served).toEqual(Object.keys(EXPECTED).sort());
  });

  it('expects what the controllers declare (a difference means api.md and the @Roles disagree)', () => {
    const declared = Object.fromEntries(routes.map((route) => [keyOf(route), route.access]));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([key, expectation]) => [key, describeAllowed(expectation)]));
    expect(declared).toEqual(expected);
  });

  it('lets every caller exactly where api.md says: 0 unexpected allows, 0 unexpected denies', () => {
    const unexpectedAllows = cells.filter((cell) => cell.expected !== 'allowed' && cell.actual === 'allowed');
    const unexpectedDenies = cells.filter((cell) => cell.expected === 'allowed' && cell.actual !== 'allowed');
    const wrongRefusals = cells.filter((cell) => cell.expected !== 'allowed' && cell.actual !== cell.expected);
    const failures = cells.filter((cell) => cell.status >= 500);
    const describeCell = (cell: Cell) => `${cell.caller.padEnd(12)} ${keyOf(cell.route)} → ${cell.status} (expected ${cell.expected}: ${cell.source})`;
    const unexpected = unexpectedAllows.length + unexpectedDenies.length + wrongRefusals.length;
    console.log(
      `permission matrix: ${new Set(cells.map((cell) => keyOf(cell.route))).size} routes × ${CALLERS.length} callers = ${cells.length} checks, ` +
        `${cells.filter((cell) => cell.actual === 'allowed').length} allowed, ${cells.filter((cell) => cell.actual === 'denied').length} denied (403), ` +
        `${cells.filter((cell) => cell.actual === 'unauthenticated').length} unauthenticated (401); ` +
        `${unexpectedAllows.length} unexpected allows, ${unexpectedDenies.length} unexpected denies, ${failures.length} × 5xx`,
    );
    expect(cells).toHaveLength(routes.length * CALLERS.length);
    expect({ unexpectedAllows: unexpectedAllows.map(describeCell), unexpectedDenies: unexpectedDenies.map(describeCell), wrongRefusals: wrongRefusals.map(describeCell) }).toEqual({
      unexpectedAllows: [],
      unexpectedDenies: [],
      wrongRefusals: [],
    });
    expect(unexpected).toBe(0);
    expect(failures.map(describeCell)).toEqual([]);
  });

  it('lets searchers call a search-only list with a q, and nothing else: no q, a blank q, or a q given twice is 403', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [key, expectation] of Object.entries(EXPECTED).filter(([, e]) => e.searchers)) {
      const path = key.split(' ')[1]!;
      for (const caller of ROLES) {
        for (const query of ['?q=zz', '?q=%20%20', '?q=zz&q=yy', '?status=NEW']) {
          const response = await t.http.get(`${path}${query}`).set(bearer(staff[caller]));
          outcomes.push(`${caller} ${key}${query} → ${outcomeOf(response.status)}`);
          const browses = (expectation.allowed as readonly Role[]).includes(caller);
          const searches = query === '?q=zz' && expectation.searchers!.includes(caller);
          expected.push(`${caller} ${key}${query} → ${browses || searches ? 'allowed' : 'denied'}`);
        }
      }
    }
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes).toEqual(expected);
  });

  it('refuses with the error body of api.md: 401 UNAUTHENTICATED, 403 FORBIDDEN', async () => {
    const route = routes.find((candidate) => keyOf(candidate) === 'GET /api/v1/audit-events')!;
    const anonymous = await t.http.get(route.path).expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String), correlationId: anonymous.headers['x-correlation-id'] });
    const nurse = await t.http.get(route.path).set(bearer(staff.nurse)).expect(403);
    expect(nurse.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String), correlationId: nurse.headers['x-correlation-id'] });
  });

  it('writes a DENIED audit row, with the caller, the route and the id, for every 403 and for nothing else', async () => {
    const denied = cells.filter((cell) => cell.actual === 'denied');
    const others = cells.filter((cell) => cell.actual !== 'denied');
    const result = await t.admin.query(
      `SELECT correlation_id, actor_id, action, resource, resource_id, patient_id, outcome FROM audit_events WHERE outcome = 'DENIED' AND correlation_id = ANY($1)`,
      [cells.map((cell) => cell.correlationId)],
    );
    const byCorrelation = new Map<string, Record<string, unknown>[]>();
    for (const row of result.rows as Record<string, unknown>[]) {
      byCorrelation.set(row.correlation_id as string, [...(byCorrelation.get(row.correlation_id as string) ?? []), row]);
    }
    const action = (method: string) => (method === 'GET' ? 'READ' : method === 'POST' ? 'CREATE' : 'UPDATE');
    const missing = denied.filter((cell) => {
      const rows = byCorrelation.get(cell.correlationId) ?? [];
      return !(
        rows.length === 1 &&
        rows[0]!.actor_id === staff[cell.caller as Role].id &&
        rows[0]!.action === action(cell.route.method) &&
        rows[0]!.resource === cell.route.path &&
        rows[0]!.resource_id === cell.resourceId &&
        rows[0]!.patient_id === null
      );
    });
    const extra = others.filter((cell) => byCorrelation.has(cell.correlationId));
    console.log(`permission matrix: ${denied.length} refusals (403), ${denied.length - missing.length} with their DENIED audit row`);
    expect(denied.length).toBeGreaterThan(0);
    expect(missing.map((cell) => `${cell.caller} ${keyOf(cell.route)}: ${JSON.stringify(byCorrelation.get(cell.correlationId) ?? [])}`)).toEqual([]);
    expect(extra.map((cell) => `${cell.caller} ${keyOf(cell.route)}`)).toEqual([]);
  });
});
