/** The benchmark's knobs, all from the environment, with defaults that fit ~7 minutes on 2 cores. */
export interface BenchConfig {
  quick: boolean;
  /** autocannon connections (concurrent requests in flight). */
  connections: number;
  /** Seconds of one measured round. */
  roundSeconds: number;
  /** Seconds of the discarded warm-up round of each server, per scenario. */
  warmupSeconds: number;
  /** Measured app/baseline pairs per scenario, run in ABBA order (app, base, base, app, app, base…). */
  pairs: number;
  /** Only these scenarios (comma-separated names), or all. */
  only: string[] | null;
  /** Unset: an embedded PostgreSQL in a fresh temporary DATA_DIR. */
  databaseUrl: string | undefined;
  /** With DATABASE_URL: the schema owner's, when the app's role may not migrate (as for the service). */
  migrationDatabaseUrl: string | undefined;
  /** Where the embedded cluster goes; default a fresh directory under the system temp dir. */
  dataDir: string | undefined;
  keepData: boolean;
  seed: SeedSize;
  /** Pass --cpu-prof to the app and write its profile here (a directory). */
  cpuProfileDir: string | undefined;
  /**
   * Embedded server only: fsync, synchronous_commit and full_page_writes off. Not production-like:
   * it removes the commit flush that every audited request waits for (see the README).
   */
  unsafeFastWrites: boolean;
  /** A mismatch between app and baseline responses is reported but does not stop the run. */
  allowMismatch: boolean;
}

export interface SeedSize {
  enquiries: number;
  admissions: number;
  /** Of the admissions: discharged, with consent to share (the handoff scenario reads these). */
  discharged: number;
  /** Observations per active admission (a discharged stay gets twice as many). */
  observationsPerAdmission: number;
  /** Patients inserted with SQL for the search scenario (only when it runs). */
  patients: number;
}

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = flag(env.BENCH_QUICK);
  return {
    quick,
    connections: int(env, 'BENCH_CONNECTIONS', 50),
    roundSeconds: int(env, 'BENCH_DURATION', quick ? 2 : 8),
    warmupSeconds: int(env, 'BENCH_WARMUP', quick ? 1 : 5),
    pairs: int(env, 'BENCH_PAIRS', quick ? 1 : 3),
    only: env.BENCH_ONLY ? env.BENCH_ONLY.split(',').map((s) => s.trim()).filter(Boolean) : null,
    databaseUrl: env.DATABASE_URL || undefined,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || undefined,
    dataDir: env.BENCH_DATA_DIR || undefined,
    keepData: flag(env.BENCH_KEEP_DATA),
    seed: quick
      ? { enquiries: 200, admissions: 40, discharged: 4, observationsPerAdmission: 8, patients: int(env, 'BENCH_PATIENTS', 10_000) }
      : {
          enquiries: int(env, 'BENCH_ENQUIRIES', 1000),
          admissions: int(env, 'BENCH_ADMISSIONS', 200),
          discharged: int(env, 'BENCH_DISCHARGED', 20),
          observationsPerAdmission: int(env, 'BENCH_OBSERVATIONS', 20),
          patients: int(env, 'BENCH_PATIENTS', 100_000),
        },
    cpuProfileDir: env.BENCH_CPU_PROF || undefined,
    allowMismatch: flag(env.BENCH_ALLOW_MISMATCH),
    unsafeFastWrites: flag(env.BENCH_UNSAFE_FAST_WRITES),
  };
}

function flag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}
