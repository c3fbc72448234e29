import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { addDays } from '../src/clinical/calendar-dates.js';
import { admitPatient } from './support/intake.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The per-admission lists of taper orders and invoices follow api.md §Conventions like every
 * other list: `?limit=` (default 50, max 200) and `?cursor=`, `{ items, nextCursor }`, keyset
 * pages that keep each list's order.
 */

const API = '/api/v1';

type Json = Record<string, unknown>;
type Page = { items: (Json & { id: string })[]; nextCursor: string | null };

/** Drafts of one admission may repeat. */
const oxycodone = apiExampleOrder;

const ADMITTED_ON = '2027-01-04';
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('list pagination: taper orders and invoices of an admission', () => {
  let t: TestApp;
  let clerk: Staff;
  let psychiatrist: Staff;
  let billing: Staff;

  /** A known clinic day, before the drafts' start date, whatever the real date. */
  const setToday = () => t.clock.setTo('2027-01-01T10:00:00+07:00');

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions: clerk, psychiatrist, billing } = await staffForEveryRole(t));
    setToday();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(setToday);

  const admit = async () => (await admitPatient(t, clerk, exampleIntakeBody(), ADMITTED_ON)).admissionId;

  /** The audit rows written while answering this response. */
  async function auditOf(response: Response): Promise<Json[]> {
    const rows = await t.admin.query('SELECT action, resource, resource_id, patient_id, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq', [
      response.headers['x-correlation-id'],
    ]);
    return rows.rows;
  }

  interface ListUnderTest {
    name: string;
    as: () => Staff;
    path: (admissionId: string) => string;
    /** Makes one more item of the list through the API; `i` counts from 0 within an admission. */
    make: (admissionId: string, i: number) => Promise<string>;
    /** The audit resource of a READ of the list. */
    resource: string;
  }

  const lists: ListUnderTest[] = [
    {
      name: 'GET /admissions/:id/taper-orders',
      as: () => psychiatrist,
      path: (admissionId) => `${API}/admissions/${admissionId}/taper-orders`,
      make: async (admissionId) => {
        const response = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(oxycodone()).expect(201);
        return response.body.id as string;
      },
      resource: 'taper_order',
    },
    {
      name: 'GET /admissions/:id/invoices',
      as: () => billing,
      path: (admissionId) => `${API}/admissions/${admissionId}/invoices`,
      // One day each, one after the other: live invoices of a stay may not share a day.
      make: async (admissionId, i) => {
        const day = addDays(ADMITTED_ON, i);
        const response = await t.http.post(`${API}/admissions/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: day, periodEnd: day }).expect(201);
        return response.body.id as string;
      },
      resource: 'invoice',
    },
  ];

  describe.each(lists)('$name', (list) => {
    const get = (admissionId: string, query: Json = {}) => t.http.get(list.path(admissionId)).query(query).set(bearer(list.as()));

    /** Makes `count` items one after the other; their ids in the order they were made. */
    async function made(admissionId: string, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await list.make(admissionId, i));
      return ids;
    }

    /** Follows nextCursor from the first page to the last; every page as returned. */
    async function everyPage(admissionId: string, limit: number): Promise<Page[]> {
      const pages: Page[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = (await get(admissionId, { limit, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        pages.push(page);
        cursor = page.nextCursor;
        if (pages.length > 50) throw new Error('the cursor never ran out');
      } while (cursor);
      return pages;
    }

    describe('paging', () => {
      let admissionId: string;
      let ids: string[];

      beforeAll(async () => {
        admissionId = await admit();
        ids = await made(admissionId, 7);
      });

      it.each([1, 2, 3, 6])('limit %i: every item exactly once, in the list order, nextCursor null on the last page only', async (limit) => {
        const pages = await everyPage(admissionId, limit);
        expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(ids);
        expect(pages).toHaveLength(Math.ceil(ids.length / limit));
        for (const page of pages.slice(0, -1)) {
          expect(page.items).toHaveLength(limit);
          expect(page.nextCursor).toEqual(expect.any(String));
        }
        expect(pages.at(-1)!.nextCursor).toBeNull();
      });

      it('a limit equal to the number of items: one page, nextCursor null; limit=200 is allowed', async () => {
        expect(await everyPage(admissionId, ids.length)).toEqual([{ items: expect.any(Array), nextCursor: null }]);
        const all: Page = (await get(admissionId, { limit: 200 }).expect(200)).body;
        expect(all.items.map((item) => item.id)).toEqual(ids);
        expect(all.nextCursor).toBeNull();
      });

      it('items on a page are the same as in the full list; each page is audited as one READ of the patient', async () => {
        const full: Page = (await get(admissionId).expect(200)).body;
        const first = await get(admissionId, { limit: 2 }).expect(200);
        const second = await get(admissionId, { limit: 2, cursor: first.body.nextCursor }).expect(200);
        expect([...first.body.items, ...second.body.items]).toEqual(full.items.slice(0, 4));
        for (const response of [first, second]) {
          expect(await auditOf(response)).toEqual([{ action: 'READ', resource: list.resource, resource_id: null, patient_id: expect.any(String), detail: { admissionId } }]);
        }
      });
    });

    it('without a limit: pages of 50', async () => {
      const admissionId = await admit();
      const ids = await made(admissionId, 51);
      const first: Page = (await get(admissionId).expect(200)).body;
      expect(first.items.map((item) => item.id)).toEqual(ids.slice(0, 50));
      expect(first.nextCursor).toEqual(expect.any(String));
      const rest: Page = (await get(admissionId, { cursor: first.nextCursor }).expect(200)).body;
      expect(rest).toEqual({ items: [expect.objectContaining({ id: ids[50] })], nextCursor: null });
    }, 60_000);

    it('an admission without items: { items: [], nextCursor: null }', async () => {
      expect((await get(await admit()).expect(200)).body).toEqual({ items: [], nextCursor: null });
    });

    it.each<[string, string, Json]>([
      ['limit=0', 'limit', { limit: 0 }],
      ['limit=201', 'limit', { limit: 201 }],
      ['limit=abc', 'limit', { limit: 'abc' }],
      ['limit=1.5', 'limit', { limit: 1.5 }],
      ['a garbage cursor', 'cursor', { cursor: 'not-a-cursor' }],
      ['a cursor of another shape', 'cursor', { cursor: cursorOf([12]) }],
      ['a cursor with text where a number belongs', 'cursor', { cursor: cursorOf(['2027-01-04', '00000000-0000-4000-8000-000000000000']) }],
      ['a cursor whose id is not a uuid', 'cursor', { cursor: cursorOf([1, 'x']) }],
      ['a cursor with a negative part', 'cursor', { cursor: cursorOf([-1, '00000000-0000-4000-8000-000000000000']) }],
      ['a cursor of 501 characters', 'cursor', { cursor: 'a'.repeat(501) }],
    ])('%s → 400 naming %s, no READ audited', async (_, field, query) => {
      const admissionId = await admit();
      await list.make(admissionId, 0);
      const response = await get(admissionId, query).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field, reason: expect.any(String) }] });
      expect(response.body.details).toHaveLength(1);
      expect(await auditOf(response)).toEqual([]);
    });
  });

  it.each([
    ['/api/v1/admissions/{id}/taper-orders', 'TaperOrderPage'],
    ['/api/v1/admissions/{id}/invoices', 'InvoicePage'],
  ])('the OpenAPI document shows limit and cursor on GET %s, and nextCursor in %s', async (path, schema) => {
    type Doc = {
      paths: Record<string, { get: { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
    };
    const doc: Doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const operation = doc.paths[path]!.get;
    expect(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.required])).toEqual([
      ['limit', false],
      ['cursor', false],
    ]);
    expect(operation.responses['200']!.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${schema}`);
    expect(doc.components.schemas[schema]).toMatchObject({
      properties: { items: expect.objectContaining({ type: 'array' }), nextCursor: { type: 'string', nullable: true } },
      required: ['items', 'nextCursor'],
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('order and tie-breakers', () => {
    it('taper orders: by when the version was created, to the microsecond, then by id', async () => {
      const admissionId = await admit();
      const ids = await Promise.all(Array.from({ length: 6 }, () => lists[0]!.make(admissionId, 0)));
      // Three versions created at one instant, two a microsecond apart (a JS Date would see them as one), one later.
      const at = ['2027-01-01T03:00:00.000100Z', '2027-01-01T03:00:00.000100Z', '2027-01-01T03:00:00.000100Z', '2027-01-01T03:00:00.000101Z', '2027-01-01T03:00:00.000102Z', '2027-01-01T03:00:01Z'];
      for (const [i, id] of ids.entries()) await t.admin.query('UPDATE taper_orders SET created_at = $2 WHERE id = $1', [id, at[i]]);
      const expected = (await t.admin.query('SELECT id FROM taper_orders WHERE admission_id = $1 ORDER BY created_at, id', [admissionId])).rows.map((r: { id: string }) => r.id);
      for (const limit of [1, 2, 4]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Page = (await t.http.get(`${API}/admissions/${admissionId}/taper-orders`).query({ limit, ...(cursor ? { cursor } : {}) }).set(bearer(psychiatrist)).expect(200)).body;
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(expected);
      }
    });

    it('taper orders: an amended order is listed once, as its latest version, where that version was created', async () => {
      const admissionId = await admit();
      const first = await lists[0]!.make(admissionId, 0);
      const second = await lists[0]!.make(admissionId, 0);
      await t.http.post(`${API}/taper-orders/${first}/sign`).set(bearer(psychiatrist)).expect(200);
      const v2 = (await t.http.post(`${API}/taper-orders/${first}/amendments`).set(bearer(psychiatrist)).send({ effectiveFrom: '2027-02-01', pauseDays: 7, reason: 'Hold' }).expect(201)).body;
      const pages: [string, unknown][] = [];
      let cursor: string | null = null;
      do {
        const page: Page = (await t.http.get(`${API}/admissions/${admissionId}/taper-orders`).query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(bearer(psychiatrist)).expect(200)).body;
        pages.push(...page.items.map((item): [string, unknown] => [item.id, item.version]));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual([
        [second, 1],
        [v2.id, 2],
      ]);
    });

    it('invoices: oldest first, void ones included', async () => {
      const admissionId = await admit();
      const [a, b] = [await lists[1]!.make(admissionId, 0), await lists[1]!.make(admissionId, 1)];
      await t.http.post(`${API}/invoices/${a}/void`).set(bearer(billing)).send({ reason: 'Wrong period.' }).expect(200);
      const c = await lists[1]!.make(admissionId, 0);
      const first: Page = (await t.http.get(`${API}/admissions/${admissionId}/invoices`).query({ limit: 2 }).set(bearer(billing)).expect(200)).body;
      const rest: Page = (await t.http.get(`${API}/admissions/${admissionId}/invoices`).query({ limit: 2, cursor: first.nextCursor }).set(bearer(billing)).expect(200)).body;
      expect([...first.items, ...rest.items].map((item) => [item.id, item.status])).toEqual([
        [a, 'VOID'],
        [b, 'DRAFT'],
        [c, 'DRAFT'],
      ]);
      expect(rest.nextCursor).toBeNull();
    });
  });
});
