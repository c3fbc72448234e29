import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * A tiny separate process that holds the read end of a pipe from this process. When this
 * process dies for any reason (SIGKILL included) the pipe closes, and the watchdog asks the
 * PostgreSQL server to shut down, so no server is left behind.
 */
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1]);
let released = false;
const stop = () => { if (!released) { try { process.kill(pid, 'SIGINT'); } catch {} } process.exit(0); };
process.stdin.on('data', (data) => { if (String(data).includes('release')) released = true; });
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
`;

export interface Watchdog {
  /** Releases the watchdog after a normal stop, or after the server died (its pid may be reused: it is not signalled). */
  release(): void;
}

/** How the watchdog is spawned (with `process.execPath`); shared with the test that kills a stand-in parent. */
export function watchdogSpawnArgs(serverPid: number): { args: string[]; options: SpawnOptions } {
  return { args: ['-e', WATCHDOG_SOURCE, String(serverPid)], options: { detached: true, stdio: ['pipe', 'ignore', 'ignore'] } };
}

export function startWatchdog(serverPid: number): Watchdog {
  const { args, options } = watchdogSpawnArgs(serverPid);
  const child: ChildProcess = spawn(process.execPath, args, options);
  child.unref();
  // The pipe must not keep this process alive, but it must stay open for as long as we live.
  (child.stdin as unknown as Socket).unref();
  return {
    release: () => child.stdin?.end('release\n'),
  };
}
