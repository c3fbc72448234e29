import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LOAD_SESSION_USER } from '../src/common/auth/jwt.strategy.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const PASSWORD = '/api/v1/auth/password';
const ME = '/api/v1/auth/me';

interface Session {
  accessToken: string;
  refreshToken: string;
  deviceToken: string;
}

describe('sign-in throttling that strangers cannot turn against staff', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '12', LOGIN_THROTTLE_WINDOW_SECONDS: '900' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string, deviceToken?: string) => t.http.post(LOGIN).send({ email, password, ...(deviceToken ? { deviceToken } : {}) });
  const failures = async (email: string, n: number) => {
    for (let i = 0; i < n; i++) await login(email, `wrong-${i}-password`).expect(401);
  };

  it('gives a device token at sign-in and gives it back when the device presents it', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const first = await login(nurse.email, nurse.password).expect(200);
    expect(first.body.deviceToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const again = await login(nurse.email, nurse.password, first.body.deviceToken).expect(200);
    expect(again.body.deviceToken).toBe(first.body.deviceToken);
    const [{ secret_hash }] = (await t.admin.query('SELECT secret_hash FROM login_devices WHERE id = $1', [first.body.deviceToken.split('.')[0]])).rows;
    expect(Buffer.from(secret_hash).toString('utf8')).not.toContain(first.body.deviceToken.split('.')[1]);
  });

  it('five wrong passwords from a stranger hold back unknown devices, never the nurse’s own', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const device = (await login(nurse.email, nurse.password).expect(200)).body.deviceToken as string;
    await failures(nurse.email, 5);
    const stranger = await login(nurse.email, nurse.password).expect(429);
    expect(stranger.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    // The correct password from the device that signed in before still works, again and again.
    for (let i = 0; i < 3; i++) await login(nurse.email, nurse.password, device).expect(200);
    t.clock.advance(901_000);
  });

  it('counts a device token of another account, or a forged one, as no token', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const billing = await createStaff(t, ['billing']);
    const foreign = (await login(billing.email, billing.password).expect(200)).body.deviceToken as string;
    const own = (await login(nurse.email, nurse.password).expect(200)).body.deviceToken as string;
    await failures(nurse.email, 5);
    await login(nurse.email, nurse.password, foreign).expect(429);
    await login(nurse.email, nurse.password, `${own.split('.')[0]}.forged-secret`).expect(429);
    await login(nurse.email, nurse.password, 'not-a-device-token').expect(429);
    await login(nurse.email, nurse.password, own).expect(200);
    t.clock.advance(901_000);
  });

  it('an address spraying many accounts holds back its unknown devices, not known ones behind it', async () => {
    const admin = await signInFirstAdmin(t);
    const device = (await login(admin.email, admin.password).expect(200)).body.deviceToken as string;
    for (let i = 0; i < 12; i++) await login(`spray-${i}@clinic.test`, 'spray-password').expect(401);
    await login(admin.email, admin.password).expect(429);
    await login(admin.email, admin.password, device).expect(200);
    t.clock.advance(901_000);
  });

  it('a known device that keeps failing is held back itself, and only itself', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const stolen = (await login(nurse.email, nurse.password).expect(200)).body.deviceToken as string;
    const other = (await login(nurse.email, nurse.password).expect(200)).body.deviceToken as string;
    for (let i = 0; i < 5; i++) await login(nurse.email, `guess-${i}-password`, stolen).expect(401);
    await login(nurse.email, nurse.password, stolen).expect(429);
    await login(nurse.email, nurse.password, other).expect(200);
    await login(nurse.email, nurse.password).expect(200);
    const throttled = await t.admin.query(`SELECT detail FROM audit_events WHERE action = 'LOGIN_FAILED' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`, [nurse.id]);
    expect(throttled.rows[0].detail).toEqual({ reason: 'THROTTLED', knownDevice: true });
    t.clock.advance(901_000);
  });
});

describe('sessions that end at once', () => {
  let t: TestApp;
  let admin: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInFirstAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const signIn = async (staff: { email: string; password: string }): Promise<Session> => (await t.http.post(LOGIN).send({ email: staff.email, password: staff.password }).expect(200)).body;
  const me = (session: { accessToken: string }) => t.http.get(ME).set(bearer(session));
  const patch = (staff: Staff, body: Record<string, unknown>) => t.http.patch(`/api/v1/users/${staff.id}`).set(bearer(admin)).send(body).expect(200);

  it('access tokens name their session and their own id, and expire', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const claims = jwt.decode(nurse.accessToken) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: nurse.id, sid: expect.stringMatching(/^[0-9a-f-]{36}$/), jti: expect.stringMatching(/^[0-9a-f-]{36}$/), exp: expect.any(Number) });
    const [session] = (await t.admin.query('SELECT user_id, ended_at FROM sessions WHERE id = $1', [claims.sid])).rows;
    expect(session).toEqual({ user_id: nurse.id, ended_at: null });
  });

  it('logout ends the session’s access tokens on the next request', async () => {
    const nurse = await createStaff(t, ['nurse']);
    await me(nurse).expect(200);
    await t.http.post(LOGOUT).set(bearer(nurse)).send({ refreshToken: nurse.refreshToken }).expect(204);
    expect((await me(nurse).expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('reuse of a refresh token ends every access token of its chain, other sessions stay', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const other = await signIn(nurse);
    const rotated = (await t.http.post(REFRESH).send({ refreshToken: nurse.refreshToken }).expect(200)).body as Session;
    await me(rotated).expect(200);
    await t.http.post(REFRESH).send({ refreshToken: nurse.refreshToken }).expect(401);
    await me(nurse).expect(401);
    await me(rotated).expect(401);
    await me(other).expect(200);
  });

  it('deactivation ends the sessions for good: reactivating does not bring old tokens back', async () => {
    const nurse = await createStaff(t, ['nurse']);
    await patch(nurse, { active: false });
    await me(nurse).expect(401);
    await patch(nurse, { active: true });
    await me(nurse).expect(401);
    await t.http.post(REFRESH).send({ refreshToken: nurse.refreshToken }).expect(401);
    await me(await signIn(nurse)).expect(200);
  });

  it('a change of roles and a password reset end the sessions; a new display name does not', async () => {
    const nurse = await createStaff(t, ['nurse']);
    await patch(nurse, { displayName: 'Nurse Renamed' });
    await me(nurse).expect(200);
    await patch(nurse, { roles: ['nurse'] });
    await me(nurse).expect(200);
    await patch(nurse, { roles: ['nurse', 'aftercare'] });
    await me(nurse).expect(401);
    const next = await signIn(nurse);
    await patch(nurse, { password: 'a brand new password 1' });
    await me(next).expect(401);
    const reasons = (await t.admin.query('SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY started_at', [nurse.id])).rows.map((row) => row.end_reason);
    expect(reasons).toEqual(['ROLES_CHANGED', 'PASSWORD_RESET']);
  });

  it('refuses tokens signed with the real secret but without exp, sid or jti, or of a session that never was', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const { sid } = jwt.decode(nurse.accessToken) as jwt.JwtPayload;
    const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = { expiresIn: 900, jwtid: randomUUID() }) =>
      jwt.sign(claims, t.config.jwtSecret, { algorithm: 'HS256', subject: nurse.id, issuer: 'clinic-api', audience: 'clinic-staff', ...options });
    await me({ accessToken: sign({ sid }) }).expect(200);
    await me({ accessToken: sign({ sid }, { jwtid: randomUUID() }) }).expect(401);
    await me({ accessToken: sign({}) }).expect(401);
    await me({ accessToken: sign({ sid }, { expiresIn: 900 }) }).expect(401);
    await me({ accessToken: sign({ sid: randomUUID() }) }).expect(401);
    const billing = await createStaff(t, ['billing']);
    await me({ accessToken: sign({ sid: (jwt.decode(billing.accessToken) as jwt.JwtPayload).sid }) }).expect(401);
  });

  it('checks the session in the same single statement as the user, by index', async () => {
    const nurse = await createStaff(t, ['nurse']);
    const { statements } = await recordStatements(t, () => me(nurse).expect(200));
    expect(statements).toEqual([LOAD_SESSION_USER]);
    const { sid } = jwt.decode(nurse.accessToken) as jwt.JwtPayload;
    const plan = (await t.admin.query(`EXPLAIN (FORMAT JSON) ${LOAD_SESSION_USER}`, [sid, nurse.id])).rows[0]['QUERY PLAN'];
    const scans = [...JSON.stringify(plan).matchAll(/"Node Type":"([A-Za-z ]+Scan)"[^{}]*?"Relation Name":"([a-z_]+)"/g)].map((m) => `${m[2]}: ${m[1]}`);
    expect(scans.sort()).toEqual([expect.stringMatching(/^sessions: Index (Only )?Scan$/), expect.stringMatching(/^users: Index (Only )?Scan$/)]);
  });

  describe('POST /auth/password', () => {
    it('changes the password, keeps this session and ends the others', async () => {
      const nurse = await createStaff(t, ['nurse']);
      const laptop = await signIn(nurse);
      await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: nurse.password, newPassword: 'a fresh long password' }).expect(204);
      await me(nurse).expect(200);
      await me(laptop).expect(401);
      await t.http.post(REFRESH).send({ refreshToken: laptop.refreshToken }).expect(401);
      await t.http.post(LOGIN).send({ email: nurse.email, password: nurse.password }).expect(401);
      await t.http.post(LOGIN).send({ email: nurse.email, password: 'a fresh long password' }).expect(200);
      const [row] = (await t.admin.query(`SELECT action, resource, outcome, detail FROM audit_events WHERE resource = 'password' AND actor_id = $1`, [nurse.id])).rows;
      expect(row).toEqual({ action: 'UPDATE', resource: 'password', outcome: 'SUCCESS', detail: { changed: ['password'], otherSessionsEnded: 1 } });
    });

    it('needs the current password and a token', async () => {
      const nurse = await createStaff(t, ['nurse']);
      const wrong = await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: 'not my password', newPassword: 'a fresh long password' }).expect(400);
      expect(wrong.body).toMatchObject({ code: 'WRONG_CURRENT_PASSWORD', details: [{ field: 'currentPassword', reason: 'is not the current password' }] });
      await t.http.post(PASSWORD).send({ currentPassword: nurse.password, newPassword: 'a fresh long password' }).expect(401);
      const same = await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: nurse.password, newPassword: nurse.password }).expect(400);
      expect(same.body.code).toBe('SAME_PASSWORD');
      await me(nurse).expect(200);
    });

    it.each([
      ['twelve spaces', ' '.repeat(12), 'must not be blank or only white space'],
      ['tabs and spaces', '\t \t \t \t \t \t ', 'must not be blank or only white space'],
      ['a common password', 'qwerty123456', 'is one of the most common passwords; choose another'],
      ['a common password in capitals', 'QWERTY123456', 'is one of the most common passwords; choose another'],
      ['a common password padded with digits', 'password1234', 'is a common password with digits or a repeated character added; choose another'],
      ['a common password after a repeated character', '!!!!!!monkey', 'is a common password with digits or a repeated character added; choose another'],
      ['twelve digits in a row', '123456789012', 'must not be a simple sequence (1234…, abcd…, qwerty…, forwards or backwards)'],
      ['a row of the keyboard', 'qwertyuiopas', 'must not be a simple sequence (1234…, abcd…, qwerty…, forwards or backwards)'],
      ['one character twelve times', 'aaaaaaaaaaaa', 'must not be one character, or a few, repeated'],
    ])('refuses %s as a new password, here and for new accounts', async (_name, password, reason) => {
      const nurse = await createStaff(t, ['nurse']);
      const change = await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: nurse.password, newPassword: password }).expect(400);
      expect(change.body.details).toEqual([{ field: 'newPassword', reason }]);
      const create = await t.http.post('/api/v1/users').set(bearer(admin)).send({ email: `weak.${randomUUID()}@clinic.test`, displayName: 'Weak', password, roles: ['nurse'] }).expect(400);
      expect(create.body.details).toEqual([{ field: 'password', reason }]);
      const reset = await t.http.patch(`/api/v1/users/${nurse.id}`).set(bearer(admin)).send({ password }).expect(400);
      expect(reset.body.details).toEqual([{ field: 'password', reason }]);
    });

    it('refuses a new password holding the account’s own email or the part before the @, whatever its case; nothing changes', async () => {
      const reason = 'must not contain the account’s email or the part of it before the @';
      const nurse = await createStaff(t, ['nurse']);
      const local = nurse.email.split('@')[0]!;
      for (const newPassword of [nurse.email, nurse.email.toUpperCase(), `My-${local.toUpperCase()}-77`]) {
        const change = await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: nurse.password, newPassword }).expect(400);
        expect(change.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'newPassword', reason }] });
        const reset = await t.http.patch(`/api/v1/users/${nurse.id}`).set(bearer(admin)).send({ password: newPassword }).expect(400);
        expect(reset.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'password', reason }] });
      }
      // Nothing changed: the sessions go on, the password is the old one, no failure was counted.
      await me(nurse).expect(200);
      await t.http.post(LOGIN).send({ email: nurse.email, password: nurse.password }).expect(200);
      const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND resource = 'password'`, [nurse.id]);
      expect(rows[0].n).toBe(0);
      // A new account: its email as its password, or its local part inside it.
      const email = `r5longname.${randomUUID().slice(0, 8)}@clinic.test`;
      for (const password of [email, `${email.split('@')[0]}-pass`]) {
        const create = await t.http.post('/api/v1/users').set(bearer(admin)).send({ email, displayName: 'Probe', password, roles: ['nurse'] }).expect(400);
        expect(create.body.details).toEqual([{ field: 'password', reason }]);
      }
      // Another account's email is no reason to refuse.
      await t.http.post(PASSWORD).set(bearer(nurse)).send({ currentPassword: nurse.password, newPassword: `${email}-x` }).expect(204);
    });
  });
});
