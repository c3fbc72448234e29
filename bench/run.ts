/**
 * `npm run bench`: the app against a raw baseline doing the same SQL, side by side in one run.
 * See the README's "Performance" section for what it measures and how to read it.
 *
 * 1. PostgreSQL: an embedded server in a fresh temporary DATA_DIR (or DATABASE_URL, which must
 *    hold an empty database).
 * 2. The app, as deployed: `node dist/src/main.js`, NODE_ENV=production, LOG_LEVEL=warn, a
 *    generated JWT_SECRET; it migrates the database and creates the first admin.
 * 3. Data entered through the app's HTTP API (seed.ts), then VACUUM ANALYZE and a CHECKPOINT.
 * 4. The baseline (baseline/server.ts) in its own process on the same database.
 * 5. Per scenario: requests to each server, answers, audit rows and SQL compared (verify.ts); a
 *    warm-up round of each (discarded); then app, baseline, baseline, app, app, baseline rounds
 *    of autocannon.
 * 6. A table on stdout, the same as JSON in bench/results/<timestamp>.json and latest.json; the
 *    exit code is 1 if any request failed or the two servers disagreed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { encodeCursor } from '../src/common/pagination/cursor.js';
import { ENQUIRY_LIST, sealCursor } from './baseline/common.js';
import { openDatabaseServer, type DatabaseServer } from '../src/database/database-server.js';
import { readBenchConfig, type BenchConfig } from './config.js';
import { clusterCpu, clusterCpuDelta, machineBusySeconds, postmasterPid, processCpuSeconds } from './cpu.js';
import { quantile, runRound, type RoundResult } from './load.js';
import { freePort } from '../src/common/net/free-port.js';
import { startServer, type ServerProcess } from './processes.js';
import { round, summarise, table, targets, type ScenarioResult } from './report.js';
import { seedPatients, searchQueries } from './patients.js';
import { buildScenarios, SEARCH_SCENARIO, type Scenario } from './scenarios.js';
import { Api, createStaff, seed } from './seed.js';
import { compare } from './verify.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const resultsDir = path.join(repoRoot, 'bench', 'results');
const hooksModule = pathToFileURL(path.join(here, 'support', 'server-hooks.js')).href;

const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | null = null;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`clean-up: ${String(error)}`);
      }
    }
  })();
  return cleaning;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<number> {
  const config = readBenchConfig();
  const started = Date.now();
  log(`${config.quick ? 'QUICK run' : 'Full run'}: ${config.connections} connections, ${config.warmupSeconds} s warm-up + ${config.pairs} × (app ${config.roundSeconds} s, baseline ${config.roundSeconds} s) per scenario`);

  const runDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-'));
  // mkdtemp makes it 0700; the database server's own account must pass through it to DATA_DIR.
  chmodSync(runDir, 0o711);
  const dataDir = config.dataDir ? path.resolve(config.dataDir) : path.join(runDir, 'data');
  if (!config.keepData) cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
  // As the app opens it: served as clinic_app, migrated as the owner (database-server.ts).
  const database = await openDatabaseServer({ databaseUrl: config.databaseUrl, migrationDatabaseUrl: config.migrationDatabaseUrl, dataDir }, repoRoot, { unsafeFastWrites: config.unsafeFastWrites });
  cleanups.push(() => database.stop());
  log(config.databaseUrl ? 'PostgreSQL: DATABASE_URL' : `PostgreSQL: embedded, data in ${dataDir}${config.unsafeFastWrites ? ' — UNSAFE FAST WRITES (fsync off): not production-like' : ''}`);
  await refuseUsedDatabase(database.url);

  const env = serviceEnvironment(database, dataDir);
  const admin = { email: 'bench.admin@clinic.test', password: randomBytes(18).toString('base64url') };
  const appPort = await freePort();
  const app = await startServer({
    name: 'app',
    script: path.join(repoRoot, 'dist', 'src', 'main.js'),
    env: { ...env, PORT: String(appPort), ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
    cwd: runDir,
    port: appPort,
    readyLine: /^Clinic API on /,
    hooksModule,
  });
  cleanups.push(() => app.stop());
  log(`app listening on ${app.url}`);

  const seedStarted = Date.now();
  const api = new Api(app.url);
  const staff = await createStaff(api, admin);
  const data = await seed(api, staff, config.seed);
  log(`seeded through the API in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s (${api.requests} requests): ${JSON.stringify(data.counts)}`);
  const searches = await seedSearchRegister(database, config);
  const deepCursor = await settleDatabase(database, config);

  const basePort = await freePort();
  const baseline = await startServer({
    name: 'baseline',
    script: path.join(here, 'baseline', 'server.js'),
    env: { ...env, PORT: String(basePort) },
    cwd: runDir,
    port: basePort,
    readyLine: /^Baseline on /,
    hooksModule,
  });
  cleanups.push(() => baseline.stop());
  log(`baseline listening on ${baseline.url}`);

  // An hour ago: an observation's time may not lie in the future.
  const scenarios = buildScenarios(data, deepCursor, new Date(Date.now() - 3_600_000).toISOString(), searches).filter((s) => !config.only || config.only.includes(s.name));
  const results: ScenarioResult[] = [];
  const postgresPid = config.databaseUrl ? null : postmasterPid(dataDir);
  // For the checks behind both servers' backs (their audit rows); idle during measured rounds.
  const checks = new pg.Pool({ connectionString: database.url, max: 1, application_name: 'clinic-bench-checks' });
  cleanups.push(() => checks.end());
  for (const scenario of scenarios) results.push(await runScenario(scenario, app, baseline, config, postgresPid, checks));

  const failures = collectFailures(results);
  const output = {
    ok: failures.length === 0,
    date: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    commit: gitDescribe(),
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 2 ** 30, 1), platform: `${os.platform()} ${os.release()}` },
    config: { ...config, databaseUrl: config.databaseUrl ? '(set)' : undefined },
    data: data.counts,
    results,
    failures,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${output.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(output, null, 2) + '\n');
  writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(output, null, 2) + '\n');

  const ownConnections = results.filter((r) => r.connections !== config.connections).map((r) => `${r.name} ${r.connections}`);
  const connections = `${config.connections} connections${ownConnections.length ? ` (${ownConnections.join(', ')})` : ''}`;
  process.stdout.write(`\nClinic API vs raw baseline — ${connections}, ${config.pairs} × ${config.roundSeconds} s per server per scenario${config.quick ? ' (QUICK)' : ''}\n`);
  process.stdout.write('req/s over the measured rounds; p50/p95/p99 latency in ms over all their 2xx responses; ratio = app req/s ÷ baseline req/s\n\n');
  process.stdout.write(table(results) + '\n\n');
  const targetLines = targets(results);
  if (targetLines.length > 0) process.stdout.write(targetLines.join('\n') + '\n\n');
  for (const r of results.filter((x) => x.plans?.length)) {
    process.stdout.write(`SQL plans of ${r.name} (EXPLAIN ANALYZE; the app and the baseline send the same statement):\n`);
    for (const { label, plan } of r.plans!) process.stdout.write(`\n  ${label}\n${plan.map((line) => `    ${line}`).join('\n')}\n`);
    process.stdout.write('\n');
  }
  process.stdout.write('pairs: lowest and highest ratio of a single app/baseline pair of rounds. cpu ms/req: CPU time of the server process per request, steadier than req/s when the machine is busy.\n');
  const busiest = Math.max(0, ...results.flatMap((r) => r.rounds.map((x) => x.otherCores ?? 0)));
  if (busiest > OTHERS_BUSY_CORES) {
    process.stdout.write(`WARNING: other processes competed for the CPU (up to ${busiest} of ${os.cpus().length} cores in a round, beside the servers, PostgreSQL and the load generator). App and baseline rounds alternate, so the ratio holds better than the absolute numbers; re-run on a quiet machine for figures to quote.\n`);
  }
  for (const r of results.filter((x) => x.drawn?.short)) process.stdout.write(`WARNING: ${r.name} could not keep its mix of requests (${r.drawn!.text}); its figures are of a lighter mix.\n`);
  if (config.unsafeFastWrites) process.stdout.write('PostgreSQL ran with fsync off (BENCH_UNSAFE_FAST_WRITES): not production-like.\n');
  process.stdout.write(`Results: ${path.relative(repoRoot, file)} (and bench/results/latest.json); ${output.seconds} s in all.\n`);
  if (config.cpuProfileDir) process.stdout.write('CPU profiles were being taken: the numbers above carry the profiler\'s overhead.\n');
  if (failures.length > 0) {
    const bar = '!'.repeat(78);
    process.stderr.write(`\n${bar}\nBENCHMARK FAILED: ${failures.length} problem(s)\n${failures.map((f) => `  - ${f}`).join('\n')}\n${bar}\n`);
    return 1;
  }
  return 0;
}

/** The settings both servers read (the baseline reads them with the app's own loadConfig). */
function serviceEnvironment(database: DatabaseServer, dataDir: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  return {
    ...inherited,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    MIGRATION_DATABASE_URL: database.migrationUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    // Tokens must outlive the run; the signing and checking are the same whatever the lifetime.
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    LOG_LEVEL: 'warn',
    CLINIC_TIME_ZONE: 'Asia/Bangkok',
    CLINIC_NAME: 'Riverside Recovery Clinic',
    CLINIC_ADDRESS: '88 Moo 4, Tambon Nong Kwai|Hang Dong, Chiang Mai 50230|Thailand',
    CLINIC_PHONE: '+66 53 441 200',
    CLINIC_EMAIL: 'care@riverside-recovery.example',
  };
}

/**
 * The patient register the search scenario reads (bench/patients.ts), inserted with SQL as the
 * schema's owner, and the searches typed into it; nothing when the scenario does not run.
 */
async function seedSearchRegister(database: DatabaseServer, config: BenchConfig): Promise<string[]> {
  if (config.only && !config.only.includes(SEARCH_SCENARIO)) return [];
  const client = new pg.Client({ connectionString: database.migrationUrl });
  await client.connect();
  try {
    const started = Date.now();
    const seeded = await seedPatients(client, config.seed.patients);
    log(`seeded ${seeded.count} patients with SQL in ${((Date.now() - started) / 1000).toFixed(1)} s (HN ${seeded.firstHn} onwards)`);
    return await searchQueries(client, 200, seeded);
  } finally {
    await client.end();
  }
}

/** Measuring on a database that already has data would measure other data. */
async function refuseUsedDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT to_regclass('public.users') IS NOT NULL AS migrated`);
    if (!rows[0].migrated) return;
    const users = await client.query('SELECT count(*)::int AS n FROM users');
    if (users.rows[0].n > 0) throw new Error('The database already holds data: give the benchmark an empty database (or leave DATABASE_URL unset for a fresh embedded one).');
  } finally {
    await client.end();
  }
}

/**
 * After the bulk load: planner statistics, and a checkpoint so that neither lands inside a
 * measured round. Returns the cursor of a page far down the enquiry list (the 10th percentile
 * of arrival order: the newest page that still has `limit` older enquiries behind it).
 */
async function settleDatabase(database: DatabaseServer, config: BenchConfig): Promise<string> {
  // VACUUM needs the tables' owner, CHECKPOINT a superuser (embedded) or pg_checkpoint.
  const client = new pg.Client({ connectionString: database.adminUrl ?? database.migrationUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT').catch((error: Error) => log(`no CHECKPOINT before measuring (${error.message}): one may land inside a round`));
    const offset = Math.max(50, Math.floor(config.seed.enquiries * 0.1));
    const { rows } = await client.query('SELECT position FROM enquiries ORDER BY position OFFSET $1 LIMIT 1', [offset]);
    return sealCursor(encodeCursor([Number(rows[0].position)]), ENQUIRY_LIST);
  } finally {
    await client.end();
  }
}

/** Cores other processes kept busy on average, beyond the ones measured, above which a run is not quotable. */
const OTHERS_BUSY_CORES = 0.25;

/**
 * Cores the rest of the machine kept busy during a round: all busy CPU time less that of the
 * server, the PostgreSQL cluster and this process (the load generator). The load average
 * cannot tell this: the benchmark's own processes keep it above the number of cores.
 */
function otherCores(
  before: { server: number | null; machine: number | null; at: number },
  used: { server: number | null; database: number | null; loadGenerator: number },
): number | null {
  const machine = machineBusySeconds();
  if (machine === null || before.machine === null || used.server === null || before.server === null || used.database === null) return null;
  const others = machine - before.machine - (used.server - before.server) - used.database - used.loadGenerator;
  return round(Math.max(0, others) / ((Date.now() - before.at) / 1000), 2);
}

function fmtMs(value: number | null): string {
  return value === null ? '?' : `${value.toFixed(2)} ms`;
}

async function runScenario(scenario: Scenario, app: ServerProcess, baseline: ServerProcess, config: BenchConfig, postgresPid: number | null, database: pg.Pool): Promise<ScenarioResult> {
  const comparison = await compare(app, baseline, scenario, database);
  const result: ScenarioResult = {
    name: scenario.name,
    title: scenario.title,
    connections: scenario.connections ?? config.connections,
    ...(scenario.p95TargetMs === undefined ? {} : { p95TargetMs: scenario.p95TargetMs }),
    statements: { app: comparison.app.statements, baseline: comparison.baseline.statements },
    problems: comparison.problems,
    app: null,
    baseline: null,
    ratio: null,
    pairRatios: [],
    rounds: [],
  };
  log(`${scenario.name} (${scenario.title}, ${result.connections} connections): SQL per request app ${comparison.app.statements.length}, baseline ${comparison.baseline.statements.length}`);
  if (process.env.BENCH_SHOW_SQL) {
    for (const side of ['app', 'baseline'] as const) {
      log(`  ${side}:`);
      for (const sql of result.statements[side]) log(`    ${sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    }
  }
  for (const problem of comparison.problems) log(`  MISMATCH ${scenario.name}: ${problem}`);
  if (scenario.explain) result.plans = await explain(scenario, comparison, database);
  if (comparison.problems.length > 0 && !config.allowMismatch) {
    log(`  ${scenario.name}: not measured (the two servers disagree; BENCH_ALLOW_MISMATCH=1 measures anyway)`);
    return result;
  }
  if (process.env.BENCH_VERIFY_ONLY) return result;

  const servers = { app, baseline };
  const latencies: Record<'app' | 'baseline', number[]> = { app: [], baseline: [] };
  const measured: Record<'app' | 'baseline', RoundResult[]> = { app: [], baseline: [] };
  const runOne = async (side: 'app' | 'baseline', warmup: boolean) => {
    const server = servers[side];
    const before = { server: processCpuSeconds(server.child.pid), database: clusterCpu(postgresPid), loadGenerator: process.cpuUsage(), machine: machineBusySeconds(), at: Date.now() };
    const r = await runRound({
      url: servers[side].url,
      scenario,
      connections: result.connections,
      seconds: warmup ? config.warmupSeconds : config.roundSeconds,
      server: side,
      latencies: warmup ? undefined : latencies[side],
    });
    // Let the server finish what the load generator dropped at the end of the round.
    await sleep(500);
    const serverCpu = processCpuSeconds(server.child.pid);
    const databaseCpu = clusterCpuDelta(before.database, clusterCpu(postgresPid));
    const loadGeneratorCpu = process.cpuUsage(before.loadGenerator);
    const perRequest = (seconds: number | null) => (seconds === null || r.requests === 0 ? null : round((seconds * 1000) / r.requests, 3));
    r.cpuMsPerRequest = {
      server: perRequest(serverCpu === null || before.server === null ? null : serverCpu - before.server),
      database: perRequest(databaseCpu),
      loadGenerator: perRequest((loadGeneratorCpu.user + loadGeneratorCpu.system) / 1e6)!,
    };
    r.loadAverage = round(os.loadavg()[0]!, 2);
    r.otherCores = otherCores(before, { server: serverCpu, database: databaseCpu, loadGenerator: (loadGeneratorCpu.user + loadGeneratorCpu.system) / 1e6 });
    result.rounds.push({ ...r, warmup });
    if (!warmup) measured[side].push(r);
    const failed = r.non2xx + r.errors > 0 ? `  FAILED: ${r.non2xx} non-2xx, ${r.errors} errors (${r.timeouts} timeouts)` : '';
    const cpu = `cpu/req ${fmtMs(r.cpuMsPerRequest.server)} server, ${fmtMs(r.cpuMsPerRequest.database)} db`;
    log(`  ${warmup ? 'warm-up ' : ''}${side.padEnd(8)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${cpu}  other ${r.otherCores ?? '?'} cores${failed}`);
  };
  const profiling = config.cpuProfileDir ? path.resolve(config.cpuProfileDir) : null;
  await runOne('app', true);
  await runOne('baseline', true);
  // ABBA: app, baseline, baseline, app, app, baseline… so that a steady drift of the machine or
  // of the database (the audit trail grows) falls on both sides alike.
  if (profiling) mkdirSync(profiling, { recursive: true });
  for (let pair = 0; pair < config.pairs; pair++) {
    const order: ('app' | 'baseline')[] = pair % 2 === 0 ? ['app', 'baseline'] : ['baseline', 'app'];
    for (const side of order) {
      const profile = profiling !== null && pair === 0;
      if (profile) await servers[side].profile(true);
      await runOne(side, false);
      if (profile) await servers[side].profile(false, path.join(profiling, `${side}-${scenario.name}.cpuprofile`));
    }
  }
  result.app = summarise(measured.app, latencies.app, quantile);
  result.baseline = summarise(measured.baseline, latencies.baseline, quantile);
  result.ratio = round(result.app.reqPerSec / result.baseline.reqPerSec, 2);
  result.pairRatios = measured.app.map((a, i) => round(a.reqPerSec / measured.baseline[i]!.reqPerSec, 2));
  log(`  ${scenario.name}: app ${result.app.reqPerSec} req/s, baseline ${result.baseline.reqPerSec} req/s, ratio ${result.ratio}`);
  if (scenario.source) {
    result.drawn = scenario.source.summary();
    log(`  ${scenario.name}: ${result.drawn.text}`);
  }
  return result;
}

/**
 * EXPLAIN ANALYZE of the scenario's chosen statements, with their values (PostgreSQL plans them as
 * it plans the servers' statements: with the values known), after the checks warmed the cache. The first is checked to
 * be the very text both servers sent for the scenario's first request.
 */
async function explain(scenario: Scenario, comparison: Awaited<ReturnType<typeof compare>>, database: pg.Pool): Promise<{ label: string; plan: string[] }[]> {
  const plans: { label: string; plan: string[] }[] = [];
  for (const [i, { label, sql, values }] of scenario.explain!.entries()) {
    // Twice: the first run in a connection also compiles search_rank(); a pooled server connection has done that long before.
    await database.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, values);
    const { rows } = await database.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, values);
    const plan = rows.map((row) => row['QUERY PLAN']);
    const sent = i === 0 ? ` (sent as is by app: ${comparison.app.statements.includes(sql)}, baseline: ${comparison.baseline.statements.includes(sql)})` : '';
    plans.push({ label: `${label}${sent}`, plan });
    log(`  plan: ${label}${sent}`);
    for (const line of plan) log(`    ${line}`);
  }
  return plans;
}

function collectFailures(results: ScenarioResult[]): string[] {
  const failures: string[] = [];
  for (const r of results) {
    for (const problem of r.problems) failures.push(`${r.name}: app and baseline disagree: ${problem}`);
    for (const run of r.rounds) {
      if (run.non2xx + run.errors === 0) continue;
      const codes = Object.entries(run.statusCodes).map(([code, n]) => `${code}×${n}`).join(' ');
      failures.push(`${r.name}: ${run.server}${run.warmup ? ' (warm-up)' : ''}: ${run.non2xx} non-2xx [${codes}], ${run.errors} errors, ${run.timeouts} timeouts, of ${run.requests}`);
      for (const sample of run.samples) failures.push(`    sample: ${sample}`);
    }
  }
  return failures;
}

function gitDescribe(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'migrations') !== '';
    return dirty ? `${commit} + uncommitted changes in src/ or migrations/` : commit;
  } catch {
    return 'unknown';
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await cleanUp();
    process.exit(code);
  },
  async (error: unknown) => {
    const bar = '!'.repeat(78);
    process.stderr.write(`\n${bar}\nBENCHMARK FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n${bar}\n`);
    await cleanUp();
    process.exit(1);
  },
);
