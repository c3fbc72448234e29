/**
 * Preloaded (`node --import`) into both servers under test, the app and the raw baseline, so the
 * harness can ask either one, over the IPC channel:
 * - `trace`: which SQL statements it sent while answering a request. It wraps
 *   `pg.Client.prototype.query`, which every statement of TypeORM and of the baseline's pool goes
 *   through; off by default (one boolean test per statement, the same for both servers) and on
 *   only while the harness checks a scenario, never during a measured round.
 * - `profile`: a V8 CPU profile of the measured rounds of a scenario (BENCH_CPU_PROF).
 *
 * It also stops the server when the harness goes away (the IPC channel closes), so a killed
 * harness leaves no server behind.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import pg from 'pg';

export type HookMessage = { kind: 'trace'; on: boolean } | { kind: 'profile'; on: boolean; file?: string };

let recording = false;
let statements: string[] = [];

const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function tracedQuery(this: pg.Client, ...args: unknown[]) {
  if (recording) statements.push(statementText(args[0]));
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

function statementText(query: unknown): string {
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object' && 'text' in query) return String((query as { text: unknown }).text);
  return String(query);
}

let session: Session | null = null;

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
}

async function profile(message: { on: boolean; file?: string }): Promise<void> {
  if (message.on) {
    session ??= new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
    return;
  }
  const { profile: result } = (await post('Profiler.stop')) as { profile: unknown };
  if (message.file) writeFileSync(message.file, JSON.stringify(result));
  session!.disconnect();
}

if (process.send) {
  process.on('message', (message: HookMessage) => {
    if (message?.kind === 'trace') {
      if (message.on) {
        statements = [];
        recording = true;
        process.send!({ kind: 'trace', statements: [] });
      } else {
        recording = false;
        process.send!({ kind: 'trace', statements });
        statements = [];
      }
    } else if (message?.kind === 'profile') {
      profile(message).then(
        () => process.send!({ kind: 'profile', ok: true }),
        (error: unknown) => process.send!({ kind: 'profile', ok: false, error: String(error) }),
      );
    }
  });
  // The harness is gone: stop as the service stops on Ctrl-C (pool closed, in-flight requests finished).
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
