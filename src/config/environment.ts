import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsTimeZone, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { MIN_SECRET_LENGTH } from './secret-strength.js';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BOOLEANS = ['true', 'false'] as const;

/** The process environment this service reads, with the rules each variable must meet. */
export class Environment {
  @IsOptional() @IsIn(NODE_ENVS)
  NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  HOST?: string;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** The schema owner, for migrations; DATABASE_URL then only needs the application's rights. */
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^postgres(ql)?:\/\//, { message: 'MIGRATION_DATABASE_URL must be a postgres:// URL' })
  MIGRATION_DATABASE_URL?: string;

  /** In production the embedded server runs only when asked for by name (demos). */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(BOOLEANS)
  EMBEDDED_DATABASE?: (typeof BOOLEANS)[number];

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  DATA_DIR?: string;

  /** The longest a statement may run on the server (statement_timeout); the client gives up a second later. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  /** The longest a statement may wait for a row or table lock (lock_timeout). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(600_000)
  DATABASE_LOCK_TIMEOUT_MS?: number;

  /** The longest opening a connection may take. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(MIN_SECRET_LENGTH, { message: `JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters` })
  JWT_SECRET?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(300) @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_SECONDS?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(12) @MaxLength(200)
  ADMIN_PASSWORD?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @IsTimeZone()
  CLINIC_TIME_ZONE?: string;

  /** Taper guidance: fastest reduction per week without a recorded override (domain.md §7). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  TAPER_MAX_WEEKLY_REDUCTION_PERCENT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(31)
  PSYCH_ROUTINE_CHECKS_PER_30_DAYS?: number;

  /** How often new audit rows are sealed into the hash chain. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60_000)
  AUDIT_SEAL_INTERVAL_MS?: number;

  /** Display only: the US dollar equivalent printed on invoices. */
  @IsOptional() @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value))) @IsNumber({ maxDecimalPlaces: 4 }) @Min(0.0001)
  THB_PER_USD?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(200)
  CLINIC_NAME?: string;

  /** Address lines separated by "|". */
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(500)
  CLINIC_ADDRESS?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(50)
  CLINIC_PHONE?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsEmail()
  CLINIC_EMAIL?: string;

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  /** Comma-separated origins a browser front end may call from (checked in cors-origins.ts). */
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(4000)
  CORS_ORIGINS?: string;

  /** Swagger UI and the OpenAPI document; default on outside production. */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(BOOLEANS)
  API_DOCS?: (typeof BOOLEANS)[number];

  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LOGIN_MAX_FAILURES_PER_ACCOUNT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LOGIN_THROTTLE_WINDOW_SECONDS?: number;

  /** How long a device token lets its device past the throttle without signing in again. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(730)
  LOGIN_DEVICE_TOKEN_TTL_DAYS?: number;

  /** `false`, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs (parseTrustedProxies checks it). */
  @IsOptional() @Transform(emptyToUndefined) @IsString()
  TRUST_PROXY?: string;
}

/** Parses and checks the environment once; lists every bad variable in one error. */
export function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = plainToInstance(Environment, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed;
}
