import { describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { FirstAdminBootstrap } from './first-admin.bootstrap.js';
import type { UsersService } from './users.service.js';

/** The first admin on an empty database, from ADMIN_EMAIL / ADMIN_PASSWORD: the password rules apply to it too. */
describe('FirstAdminBootstrap', () => {
  function bootstrap(email: string, password: string) {
    const create = jest.fn(async () => ({ id: 'the-first-admin' }));
    const runner = { connect: async () => undefined, release: async () => undefined, query: async (sql: string) => (sql.includes('count(*)') ? [{ count: 0 }] : []) };
    const dataSource = { createQueryRunner: () => runner } as unknown as DataSource;
    const config = { firstAdmin: { email, password } } as unknown as AppConfig;
    return { create, run: () => new FirstAdminBootstrap(config, dataSource, { create } as unknown as UsersService).onApplicationBootstrap() };
  }

  it.each([
    ['boss@clinic.test', 'boss@clinic.test', 'ADMIN_PASSWORD must not contain the account’s email or the part of it before the @.'],
    ['boss@clinic.test', 'the-boss-of-it-all', 'ADMIN_PASSWORD must not contain the account’s email or the part of it before the @.'],
    ['admin@clinic.test', 'password1234', 'ADMIN_PASSWORD is a common password with digits or a repeated character added; choose another.'],
    ['admin@clinic.test', '123456789012', 'ADMIN_PASSWORD must not be a simple sequence (1234…, abcd…, qwerty…, forwards or backwards).'],
  ])('stops the start for %s with the password %j, creating nothing', async (email, password, message) => {
    const { create, run } = bootstrap(email, password);
    await expect(run()).rejects.toThrow(message);
    expect(create).not.toHaveBeenCalled();
  });

  it('creates the admin from a password that passes', async () => {
    const { create, run } = bootstrap('first.admin@clinic.test', 'first-admin-password');
    await run();
    expect(create).toHaveBeenCalledTimes(1);
  });
});
