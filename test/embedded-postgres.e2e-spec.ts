import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresUrl } from '../src/database/database-server.js';
import { EmbeddedPostgres, type ServerAddress } from '../src/database/embedded-postgres.js';
import { watchdogSpawnArgs } from '../src/database/watchdog.js';

describe('EmbeddedPostgres', () => {
  let dataDir: string;
  const servers: EmbeddedPostgres[] = [];
  const server = () => {
    const created = new EmbeddedPostgres({ dataDir, projectDir: process.cwd(), unsafeFastWrites: true });
    servers.push(created);
    return created;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-embedded-'));
  });

  afterAll(async () => {
    for (const started of servers) await started.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its data and its port across a restart, shares a running server, and leaves no process behind', async () => {
    const first = server();
    const address = await first.start();
    await query(address, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')`);

    // A second launcher on the same data attaches to the running server; its stop() leaves it up.
    const second = server();
    expect((await second.start()).port).toBe(address.port);
    await second.stop();
    await expect(query(address, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);

    const processes = serverProcesses(dataDir);
    expect(processes.length).toBeGreaterThan(1);
    await first.stop();
    expect(processes.filter(isAlive)).toEqual([]);

    const third = server();
    const again = await third.start();
    await expect(query(again, 'SELECT note FROM kept')).resolves.toEqual([{ note: 'still here' }]);
    // Started again on its last port while free: an instance sharing it by DATABASE_URL reconnects.
    expect(again.port).toBe(address.port);
    const restarted = serverProcesses(dataDir);
    await third.stop();
    expect(restarted.filter(isAlive)).toEqual([]);
  });

  it('is stopped by the watchdog when its parent is SIGKILLed', async () => {
    // Stand-in for the server: a detached long-running process of this test.
    const target = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const targetExit = new Promise<NodeJS.Signals | null>((resolve) => target.once('exit', (_code, signal) => resolve(signal)));
    // Stand-in for the app: spawns the watchdog exactly as startWatchdog does, reports its pid, then idles.
    const { args, options } = watchdogSpawnArgs(target.pid!);
    const parentSource = `
      const { spawn } = require('node:child_process');
      const [args, options] = JSON.parse(process.argv[1]);
      const watchdog = spawn(process.execPath, args, options);
      process.stdout.write(String(watchdog.pid) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['-e', parentSource, JSON.stringify([args, options])], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const watchdogPid = Number(await firstLine(parent));
      expect(isAlive(watchdogPid)).toBe(true);
      expect(isAlive(target.pid!)).toBe(true);

      parent.kill('SIGKILL');
      await expect(withTimeout(targetExit, 5_000)).resolves.toBe('SIGINT');
      await waitFor(() => !isAlive(watchdogPid), 5_000);
    } finally {
      for (const child of [parent, target]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

/** Runs SQL (several statements allowed) in a fresh connection; the rows of the last statement. */
async function query(address: ServerAddress, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: postgresUrl(address, 'postgres') });
  await client.connect();
  try {
    const results: pg.QueryResult | pg.QueryResult[] = await client.query(sql);
    return (Array.isArray(results) ? results[results.length - 1] : results).rows;
  } finally {
    await client.end();
  }
}

/** The postmaster of this data directory and all its children, from /proc. */
function serverProcesses(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);
  return [postmaster, ...children];
}

function parentOf(pid: number): number | null {
  try {
    // The command name in field 2 may contain spaces; the parent pid is the second field after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a reaped or dying process is gone for our purposes). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0]);
    });
    child.once('exit', () => reject(new Error('the stand-in parent exited early')));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
