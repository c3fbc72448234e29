import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { systemContext } from '../common/auth/request-context.js';
import { ROLES, type Role } from '../common/auth/role.js';
import type { AppConfig } from '../config/app-config.js';
import { UsersService } from '../modules/users/index.js';

export interface DemoAccount {
  email: string;
  displayName: string;
  /** A fixed, printed development password: these accounts must never exist in production. */
  password: string;
  roles: Role[];
}

export interface SeededAccount extends DemoAccount {
  created: boolean;
}

const DISPLAY_NAMES: Record<Role, string> = {
  admin: 'Demo Administrator',
  admissions: 'Demo Admissions Officer',
  psychiatrist: 'Demo Psychiatrist',
  nurse: 'Demo Nurse',
  billing: 'Demo Billing Clerk',
  aftercare: 'Demo Aftercare Coordinator',
};

/** One account per role. A password may not contain the account's email or its local part (the role here). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = ROLES.map((role, index) => ({
  email: `${role}@clinic.test`,
  displayName: DISPLAY_NAMES[role],
  password: `clinic-demo-pass-${index + 1}`,
  roles: [role],
}));

export function refuseInProduction(nodeEnv: string | undefined): void {
  if (nodeEnv === 'production') {
    throw new Error('refused: NODE_ENV=production. Demo accounts have published passwords and are for development only.');
  }
}

/**
 * Creates the demo accounts missing from the (migrated) database at `databaseUrl`, through the
 * real UsersService so each creation is audited. Existing accounts are left as they are.
 */
export async function seedDemo(config: AppConfig, databaseUrl: string): Promise<SeededAccount[]> {
  refuseInProduction(config.nodeEnv);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, databaseUrl), { logger: false });
  try {
    const users = app.get(UsersService);
    const seeded: SeededAccount[] = [];
    for (const account of DEMO_ACCOUNTS) {
      const exists = (await users.findByEmail(account.email)) !== null;
      if (!exists) await users.create({ ...account, roles: [...account.roles] }, systemContext('seed-demo'));
      seeded.push({ ...account, created: !exists });
    }
    return seeded;
  } finally {
    await app.close();
  }
}

/** A plain-text table of the accounts and their passwords, for the terminal. */
export function formatAccountTable(accounts: readonly SeededAccount[]): string {
  const rows = [['email', 'password', 'roles', ''], ...accounts.map((a) => [a.email, a.password, a.roles.join(','), a.created ? 'created' : 'already existed (left unchanged)'])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n';
}
