import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { HookMessage } from './support/server-hooks.js';

interface Reply {
  kind: string;
  statements?: string[];
  ok?: boolean;
  error?: string;
}

/** A server under test, in its own process: the app (dist/src/main.js) or the raw baseline. */
export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Every SQL statement the server sent while `action` ran (see support/sql-trace.ts). */
  traceSql<T>(action: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  /** Starts, or stops and writes to `file`, a V8 CPU profile of the server. */
  profile(on: boolean, file?: string): Promise<void>;
  /** SIGTERM (the service's own graceful shutdown), then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  /** Printed on stdout once the server listens. */
  readyLine: RegExp;
  nodeArgs?: string[];
  hooksModule: string;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', options.hooksModule, options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const prefix = `[${options.name}] `;
  const relay = (stream: NodeJS.ReadableStream, onLine?: (line: string) => void) =>
    createInterface({ input: stream }).on('line', (line) => {
      if (onLine?.(line)) return;
      process.stderr.write(prefix + line + '\n');
    });
  relay(child.stderr!);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    let started = false;
    relay(child.stdout!, (line) => {
      if (!started && options.readyLine.test(line)) {
        started = true;
        clearTimeout(timer);
        resolve();
        return true;
      }
      return false;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${options.name} exited during start-up (${signal ?? `code ${code}`})`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${prefix}exited unexpectedly (${signal ?? `code ${code}`})\n`);
  });
  let stopping = false;
  await ready;

  // One question at a time: the harness never overlaps two.
  let pending: { kind: string; resolve: (reply: Reply) => void } | null = null;
  child.on('message', (message: Reply) => {
    if (pending && message?.kind === pending.kind) {
      const { resolve } = pending;
      pending = null;
      resolve(message);
    }
  });
  const ask = (message: HookMessage) =>
    new Promise<Reply>((resolve) => {
      pending = { kind: message.kind, resolve };
      child.send(message);
    });

  return {
    name: options.name,
    url: `http://127.0.0.1:${options.port}`,
    child,
    async traceSql(action) {
      await ask({ kind: 'trace', on: true });
      try {
        const result = await action();
        return { result, statements: (await ask({ kind: 'trace', on: false })).statements ?? [] };
      } catch (error) {
        await ask({ kind: 'trace', on: false });
        throw error;
      }
    },
    async profile(on, file) {
      const reply = await ask({ kind: 'profile', on, file });
      if (!reply.ok) throw new Error(`${options.name}: CPU profile failed: ${reply.error}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      const asked = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        process.stderr.write(`${prefix}still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM: SIGKILL\n`);
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      const took = Date.now() - asked;
      if (took > 3_000) process.stderr.write(`${prefix}took ${(took / 1000).toFixed(1)} s to stop after SIGTERM\n`);
    },
  };
}
