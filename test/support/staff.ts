import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/common/auth/role.js';
import { systemContext } from '../../src/common/auth/request-context.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { TEST_ADMIN, type TestApp } from './test-app.js';

export interface Staff {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Creates a staff account with these roles and signs it in. */
export async function createStaff(testApp: TestApp, roles: Role[], overrides: { email?: string; password?: string } = {}): Promise<Staff> {
  const email = overrides.email ?? `${roles.join('-')}.${randomBytes(4).toString('hex')}@clinic.test`;
  const password = overrides.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const user = await testApp.app.get(UsersService).create({ email, displayName: `Test ${roles.join(' ')}`, password, roles }, systemContext('test'));
  return { id: user.id, email, password, ...(await signIn(testApp, email, password)) };
}

/** One signed-in staff member per role: the first admin, and a new account for each other role. */
export type StaffForEveryRole = Record<Role, Staff>;

/** Signs in the first admin, then creates and signs in one account per other role (each with that role only). */
export async function staffForEveryRole(testApp: TestApp): Promise<StaffForEveryRole> {
  const admin = await signInFirstAdmin(testApp);
  const [admissions, psychiatrist, nurse, billing, aftercare] = await Promise.all(
    (['admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare'] as const).map((role) => createStaff(testApp, [role])),
  );
  return { admin, admissions, psychiatrist, nurse, billing, aftercare };
}

/** The admin created at start-up from ADMIN_EMAIL / ADMIN_PASSWORD, signed in. */
export async function signInFirstAdmin(testApp: TestApp): Promise<Staff> {
  const tokens = await signIn(testApp, TEST_ADMIN.email, TEST_ADMIN.password);
  const me = await testApp.http.get('/api/v1/auth/me').set('authorization', `Bearer ${tokens.accessToken}`).expect(200);
  return { id: me.body.id as string, ...TEST_ADMIN, ...tokens };
}

export async function signIn(testApp: TestApp, email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await testApp.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  return { accessToken: response.body.accessToken as string, refreshToken: response.body.refreshToken as string };
}

export const bearer = (staff: { accessToken: string }) => ({ authorization: `Bearer ${staff.accessToken}` });
