import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemContext } from '../../common/auth/request-context.js';
import { passwordProblem } from '../../common/validation/password.js';
import { AppConfig } from '../../config/app-config.js';
import { UsersService } from './users.service.js';

const FIRST_ADMIN_LOCK_KEY = 727_002;

/** On an empty database, creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD. */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Two instances starting together must not both create it.
      await runner.query('SELECT pg_advisory_lock($1)', [FIRST_ADMIN_LOCK_KEY]);
      const [{ count }]: { count: number }[] = await runner.query('SELECT count(*)::int AS count FROM users');
      if (count > 0) return;
      const admin = this.config.firstAdmin;
      if (!admin) {
        this.logger.warn('No staff accounts yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run "npm run seed:demo" in development.');
        return;
      }
      const weak = passwordProblem(admin.password, { email: admin.email });
      if (weak) throw new Error(`ADMIN_PASSWORD ${weak}.`);
      const created = await this.users.create(
        { email: admin.email, displayName: 'Administrator', password: admin.password, roles: ['admin'] },
        systemContext('first-admin'),
      );
      this.logger.log({ userId: created.id }, 'Created the first admin account from ADMIN_EMAIL');
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [FIRST_ADMIN_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }
}
