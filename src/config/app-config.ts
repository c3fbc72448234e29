import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCorsOrigins } from './cors-origins.js';
import { parseEnvironment, type Environment } from './environment.js';
import { weakSecretReason } from './secret-strength.js';
import { parseTrustedProxies, type TrustedProxies } from './trusted-proxies.js';

/** How the clinic presents itself on invoices and handoff summaries. */
export interface ClinicContact {
  name: string;
  address: string[];
  phone: string;
  email: string;
}

/** Waits on the database, so that a hung or frozen server gets a 503, never a request hanging for ever. */
export interface DatabaseTimeouts {
  /** Server-side statement_timeout; the client gives up when even that answer does not come. */
  readonly statementMs: number;
  /** Server-side lock_timeout: a wait for a locked row or table. */
  readonly lockMs: number;
  /** Opening a connection. */
  readonly connectMs: number;
}

export interface LoginThrottleConfig {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
  /** A device token not used for this long no longer counts as a known device. */
  deviceTokenTtlSeconds: number;
}

/** Everything the service reads from its environment, validated and typed; injectable as is. */
export class AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** Absent: an embedded PostgreSQL under `dataDir` is started. */
  readonly databaseUrl: string | undefined;
  /** Migrations run as this role when given (least privilege for DATABASE_URL's role). */
  readonly migrationDatabaseUrl: string | undefined;
  readonly dataDir: string;
  /** How long the service waits on its database before answering 503 (ms). */
  readonly databaseTimeouts: DatabaseTimeouts;
  readonly jwtSecret: KeyObject;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly firstAdmin: { email: string; password: string } | null;
  /** The clinic's time zone: "today" for dates that may not lie in the future. */
  readonly clinicTimeZone: string;
  /** Taper orders faster than this (% per week) need an override reason. */
  readonly taperMaxWeeklyReductionPercent: number;
  /** Routine psychiatric checks included per 30 days of a stay, besides the intake (domain.md §10). */
  readonly psychRoutineChecksPer30Days: number;
  /** How often new audit rows are sealed into the hash chain (ms). */
  readonly auditSealIntervalMs: number;
  /** For the US dollar equivalent printed on invoices; display only. */
  readonly thbPerUsd: number;
  readonly clinic: ClinicContact;
  readonly logLevel: string;
  readonly loginThrottle: LoginThrottleConfig;
  /** Which proxies may set X-Forwarded-For: none, the nearest N hops, or these addresses. */
  readonly trustProxy: TrustedProxies;
  /** Origins a browser front end may call from; empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Swagger UI and the OpenAPI document are served. */
  readonly apiDocs: boolean;
  /** Settings that are allowed but probably unintended, printed once at start. */
  readonly startWarnings: readonly string[];

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

/**
 * Reads the configuration once at start; every bad or missing setting is listed in one error. In
 * production JWT_SECRET, DATABASE_URL (unless EMBEDDED_DATABASE=true) and the clinic's name and
 * contact are required; elsewhere a secret is generated once and kept under DATA_DIR so tokens
 * survive restarts, and a missing clinic contact is only a start warning.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = readProcessEnvironment(), cwd = process.cwd()): AppConfig {
  const env = parseEnvironment(rawEnv);
  const nodeEnv = env.NODE_ENV ?? 'development';
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  const cors = parseCorsOrigins(env.CORS_ORIGINS);
  const trustProxy = parseTrustedProxies(env.TRUST_PROXY);
  const problems = [...(nodeEnv === 'production' ? productionProblems(env) : []), ...cors.problems];
  if ('problem' in trustProxy) problems.push(`${trustProxy.problem}.`);
  if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
    problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded server sets up both roles itself).');
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together.');
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return new AppConfig({
    nodeEnv,
    host: env.HOST ?? '127.0.0.1',
    port: env.PORT ?? 3000,
    databaseUrl: env.DATABASE_URL,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL,
    dataDir,
    databaseTimeouts: {
      statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS ?? 15_000,
      lockMs: env.DATABASE_LOCK_TIMEOUT_MS ?? 5_000,
      connectMs: env.DATABASE_CONNECT_TIMEOUT_MS ?? 10_000,
    },
    jwtSecret: createSecretKey(Buffer.from(env.JWT_SECRET ?? readOrCreateSecret(dataDir), 'utf8')),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 15 * 60,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS ?? 7 * 24 * 3600,
    firstAdmin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : null,
    clinicTimeZone: env.CLINIC_TIME_ZONE ?? 'Asia/Bangkok',
    taperMaxWeeklyReductionPercent: env.TAPER_MAX_WEEKLY_REDUCTION_PERCENT ?? 10,
    psychRoutineChecksPer30Days: env.PSYCH_ROUTINE_CHECKS_PER_30_DAYS ?? 4,
    thbPerUsd: env.THB_PER_USD ?? 33,
    auditSealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS ?? 1000,
    clinic: clinicContact(env),
    logLevel: env.LOG_LEVEL ?? 'info',
    loginThrottle: loginThrottle(env),
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    corsOrigins: cors.origins,
    apiDocs: env.API_DOCS ? env.API_DOCS === 'true' : nodeEnv !== 'production',
    startWarnings: [
      ...(hasClinicContact(env) ? [] : [`${CLINIC_CONTACT} are not set: invoices and handoff summaries go out without the clinic's contact (required in production).`]),
      // With a shared database other instances may run: a secret of this one's own signs tokens they refuse.
      ...(env.DATABASE_URL && !env.JWT_SECRET ? [`JWT_SECRET is not set: tokens are signed with a secret kept in ${dataDir}; every instance on one database needs the same JWT_SECRET.`] : []),
    ],
  });
}

const CLINIC_CONTACT = 'CLINIC_NAME and CLINIC_PHONE or CLINIC_EMAIL';

/** Outside production these fall back to conveniences; in production each is a mistake. */
function productionProblems(env: Environment): string[] {
  const problems: string[] = [];
  if (!env.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 random characters).');
  const weakSecret = env.JWT_SECRET ? weakSecretReason(env.JWT_SECRET) : null;
  if (weakSecret) problems.push(`JWT_SECRET is too weak for production: ${weakSecret}. Generate one with: openssl rand -base64 48`);
  if (!env.DATABASE_URL && env.EMBEDDED_DATABASE !== 'true') {
    problems.push(
      'DATABASE_URL is required when NODE_ENV=production: the embedded PostgreSQL under DATA_DIR is for development, tests and demos ' +
        '(set EMBEDDED_DATABASE=true to use it knowingly).',
    );
  }
  if (!hasClinicContact(env)) {
    problems.push(`${CLINIC_CONTACT} are required when NODE_ENV=production: invoices and the handoff to the outside prescriber say who to call.`);
  }
  return problems;
}

function hasClinicContact(env: Environment): boolean {
  return Boolean(env.CLINIC_NAME?.trim() && (env.CLINIC_PHONE?.trim() || env.CLINIC_EMAIL));
}

function clinicContact(env: Environment): ClinicContact {
  return {
    name: env.CLINIC_NAME ?? '',
    address: (env.CLINIC_ADDRESS ?? '').split('|').map((line) => line.trim()).filter(Boolean),
    phone: env.CLINIC_PHONE ?? '',
    email: env.CLINIC_EMAIL ?? '',
  };
}

function loginThrottle(env: Environment): LoginThrottleConfig {
  return {
    maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5,
    maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS ?? 20,
    windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS ?? 15 * 60,
    deviceTokenTtlSeconds: (env.LOGIN_DEVICE_TOKEN_TTL_DAYS ?? 90) * 86_400,
  };
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    // Another process wrote it first: use theirs.
    return readFileSync(file, 'utf8').trim();
  }
}

/** The process environment, with a `.env` file in the working directory applied first if there is one. */
export function readProcessEnvironment(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
