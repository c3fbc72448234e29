import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createStaff, signIn, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const USERS = '/api/v1/users';

describe('staff accounts', () => {
  let t: TestApp;
  let admin: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInFirstAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    email: `Nurse.${Math.random().toString(36).slice(2)}@Clinic.test`,
    displayName: '  Ploy S.  ',
    password: 'a-long-enough-password',
    roles: ['nurse'],
    ...overrides,
  });

  describe('create', () => {
    it('creates an account and never returns the password hash', async () => {
      const body = newUser();
      const response = await t.http.post(USERS).set(bearer(admin)).send(body).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email: body.email.toLowerCase(),
        displayName: 'Ploy S.',
        roles: ['nurse'],
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const stored = await t.admin.query('SELECT password_hash FROM users WHERE id = $1', [response.body.id]);
      expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      const audit = await t.admin.query(`SELECT actor_id, detail FROM audit_events WHERE action = 'CREATE' AND resource_id = $1`, [response.body.id]);
      expect(audit.rows).toEqual([{ actor_id: admin.id, detail: { roles: ['nurse'] } }]);
      await signIn(t, body.email, body.password);
    });

    it('refuses a second account with the same email in another case (409)', async () => {
      const body = newUser();
      await t.http.post(USERS).set(bearer(admin)).send(body).expect(201);
      const again = await t.http.post(USERS).set(bearer(admin)).send({ ...body, email: body.email.toUpperCase() }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'EMAIL_TAKEN' });
    });

    it('lets exactly one of ten simultaneous creations with one email win', async () => {
      const body = newUser();
      const statuses = await Promise.all(Array.from({ length: 10 }, () => t.http.post(USERS).set(bearer(admin)).send(body).then((r) => r.status)));
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    });

    it.each([
      [{ password: 'short-11chr' }, 'password', 'must be longer than or equal to 12 characters'],
      [{ roles: ['doctor'] }, 'roles', 'each value in roles must be one of the following values: admin, admissions, psychiatrist, nurse, billing, aftercare'],
      [{ roles: [] }, 'roles', 'must contain at least 1 elements'],
      [{ roles: ['nurse', 'nurse'] }, 'roles', "All roles's elements must be unique"],
      [{ email: 'not-an-email' }, 'email', 'must be an email'],
      [{ displayName: '   ' }, 'displayName', 'must be longer than or equal to 1 characters'],
      [{ isAdmin: true }, 'isAdmin', 'property isAdmin should not exist'],
    ])('refuses %j with a 400 naming the field', async (overrides, field, reason) => {
      const response = await t.http.post(USERS).set(bearer(admin)).send(newUser(overrides)).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([{ field, reason }]);
    });

    it('is for admins only', async () => {
      const nurse = await createStaff(t, ['nurse']);
      await t.http.post(USERS).set(bearer(nurse)).send(newUser()).expect(403);
      await t.http.post(USERS).send(newUser()).expect(401);
    });
  });

  describe('read', () => {
    it('pages through every account by email without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++) await createStaff(t, ['billing']);
      const all = await t.admin.query('SELECT id FROM users ORDER BY email, id');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { limit: 2, ...(cursor ? { cursor } : {}) };
        const page = await t.http.get(USERS).query(query).set(bearer(admin)).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        expect(page.body.items[0]).not.toHaveProperty('passwordHash');
        seen.push(...page.body.items.map((u: { id: string }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.rows.map((row) => row.id));
    });

    it('filters by active', async () => {
      const gone = await createStaff(t, ['aftercare']);
      await t.http.patch(`${USERS}/${gone.id}`).set(bearer(admin)).send({ active: false }).expect(200);
      const inactive = await t.http.get(USERS).query({ active: 'false', limit: 200 }).set(bearer(admin)).expect(200);
      expect(inactive.body.items.map((u: { id: string }) => u.id)).toContain(gone.id);
      expect(inactive.body.items.every((u: { active: boolean }) => !u.active)).toBe(true);
    });

    it('answers 404 for an unknown id and 400 for a malformed one or a bad list query', async () => {
      const missing = await t.http.get(`${USERS}/00000000-0000-4000-8000-000000000000`).set(bearer(admin)).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      const malformed = await t.http.get(`${USERS}/42`).set(bearer(admin)).expect(400);
      expect(malformed.body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
      const badLimit = await t.http.get(USERS).query({ limit: 500 }).set(bearer(admin)).expect(400);
      expect(badLimit.body.details).toEqual([{ field: 'limit', reason: 'must not be greater than 200' }]);
      const badCursor = await t.http.get(USERS).query({ cursor: 'abc' }).set(bearer(admin)).expect(400);
      expect(badCursor.body.details).toEqual([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
    });
  });

  describe('change', () => {
    it('a change of roles ends the account’s sessions at once; signed in again, the new roles apply', async () => {
      const clerk = await createStaff(t, ['admissions']);
      await t.http.get(USERS).set(bearer(clerk)).expect(403);
      const promoted = await t.http.patch(`${USERS}/${clerk.id}`).set(bearer(admin)).send({ roles: ['admissions', 'admin'] }).expect(200);
      expect(promoted.body.roles).toEqual(['admissions', 'admin']);
      await t.http.get(USERS).set(bearer(clerk)).expect(401);
      const asAdmin = await signIn(t, clerk.email, clerk.password);
      await t.http.get(USERS).set(bearer(asAdmin)).expect(200);
      await t.http.patch(`${USERS}/${clerk.id}`).set(bearer(admin)).send({ roles: ['admissions'] }).expect(200);
      await t.http.get(USERS).set(bearer(asAdmin)).expect(401);
      await t.http.get(USERS).set(bearer(await signIn(t, clerk.email, clerk.password))).expect(403);
      const audit = await t.admin.query(`SELECT detail FROM audit_events WHERE action = 'UPDATE' AND resource_id = $1 ORDER BY seq`, [clerk.id]);
      expect(audit.rows[0].detail).toEqual({ changed: ['roles'], rolesBefore: ['admissions'], rolesAfter: ['admissions', 'admin'] });
    });

    it('deactivation stops the access token and the refresh token at once; reactivation allows a new login', async () => {
      const nurse = await createStaff(t, ['nurse']);
      await t.http.get('/api/v1/auth/me').set(bearer(nurse)).expect(200);
      await t.http.patch(`${USERS}/${nurse.id}`).set(bearer(admin)).send({ active: false }).expect(200);
      await t.http.get('/api/v1/auth/me').set(bearer(nurse)).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: nurse.refreshToken }).expect(401);
      await t.http.patch(`${USERS}/${nurse.id}`).set(bearer(admin)).send({ active: true }).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: nurse.refreshToken }).expect(401);
      await signIn(t, nurse.email, nurse.password);
    });

    it('a new password ends every session and replaces the old one', async () => {
      const nurse = await createStaff(t, ['nurse']);
      await t.http.patch(`${USERS}/${nurse.id}`).set(bearer(admin)).send({ password: 'the-new-password-1' }).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: nurse.refreshToken }).expect(401);
      await t.http.post('/api/v1/auth/login').send({ email: nurse.email, password: nurse.password }).expect(401);
      await signIn(t, nurse.email, 'the-new-password-1');
    });

    it('refuses to remove the last active admin, and lets only one of two admins demote the other at once', async () => {
      const res = await t.http.patch(`${USERS}/${admin.id}`).set(bearer(admin)).send({ roles: ['nurse'] }).expect(409);
      expect(res.body.code).toBe('LAST_ADMIN');
      await t.http.patch(`${USERS}/${admin.id}`).set(bearer(admin)).send({ active: false }).expect(409);

      const second = await createStaff(t, ['admin']);
      const results = await Promise.all([
        t.http.patch(`${USERS}/${second.id}`).set(bearer(admin)).send({ active: false }),
        t.http.patch(`${USERS}/${admin.id}`).set(bearer(second)).send({ active: false }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const active = await t.admin.query(`SELECT count(*)::int AS n FROM users WHERE active AND 'admin' = ANY(roles)`);
      expect(active.rows[0].n).toBe(1);
    });

    it('validates changes and answers 404 for an unknown account', async () => {
      // Not the first admin: the race above may have deactivated either admin.
      const anotherAdmin = await createStaff(t, ['admin']);
      const nurse = await createStaff(t, ['nurse']);
      const bad = await t.http.patch(`${USERS}/${nurse.id}`).set(bearer(anotherAdmin)).send({ active: 'yes', email: 'x@y.z' }).expect(400);
      expect(bad.body.details).toEqual(
        expect.arrayContaining([
          { field: 'active', reason: 'must be a boolean value' },
          { field: 'email', reason: 'property email should not exist' },
        ]),
      );
      await t.http.patch(`${USERS}/00000000-0000-4000-8000-000000000000`).set(bearer(anotherAdmin)).send({ active: true }).expect(404);
    });
  });
});
