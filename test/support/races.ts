import type { TestApp } from './test-app.js';

/**
 * Helpers for races run through HTTP against the real database: start many requests at once,
 * repeat the race over fresh data, and report how often the invariant held.
 */

/** `n` requests, all started before any is awaited. */
export function burst<T>(n: number, start: (i: number) => PromiseLike<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => start(i)));
}

/** How many responses had each status, e.g. `{ 200: 11, 201: 1 }`: readable when an expectation fails. */
export function statusTally(responses: readonly { status: number }[]): Record<number, number> {
  const tally: Record<number, number> = {};
  for (const { status } of responses) tally[status] = (tally[status] ?? 0) + 1;
  return tally;
}

/** Rows of a query run as the superuser, behind the app's back. */
export async function dbRows<T = Record<string, unknown>>(t: TestApp, text: string, params: unknown[] = []): Promise<T[]> {
  return (await t.admin.query(text, params)).rows as T[];
}

/** Named tallies a round reports, e.g. `{ 'in-flight writes refused': 3 }`. */
export type Counts = Record<string, number>;

export interface RaceFigures {
  name: string;
  rounds: number;
  parallel: number;
  requests: number;
  held: number;
  ms: number;
}

/** Runs races round after round and keeps their figures for one summary line each, and a total. */
export class RaceLog {
  readonly races: RaceFigures[] = [];

  /**
   * Runs `round` `rounds` times, one after the other, each on fresh data; the round passes its
   * racing responses through `sent` to have them counted, and may return counts of its own
   * (summed and printed). Every round runs even after one fails, so that the printed line says
   * how often the invariant held; the first failure is then thrown.
   */
  async run(name: string, shape: { rounds: number; parallel: number }, round: (i: number, sent: <T extends unknown[]>(responses: T) => T) => Promise<Counts | void>): Promise<void> {
    const started = performance.now();
    const failures: unknown[] = [];
    let requests = 0;
    const counts: Counts = {};
    const sent = <T extends unknown[]>(responses: T): T => {
      requests += responses.length;
      return responses;
    };
    for (let i = 0; i < shape.rounds; i++) {
      try {
        for (const [key, n] of Object.entries((await round(i, sent)) ?? {})) counts[key] = (counts[key] ?? 0) + n;
      } catch (error) {
        failures.push(error);
      }
    }
    const figures = { name, ...shape, requests, held: shape.rounds - failures.length, ms: performance.now() - started };
    this.races.push(figures);
    const extra = Object.entries(counts).map(([key, n]) => `${key} ${n}`).join(', ');
    console.log(`concurrency: ${name} — ${shape.rounds} rounds × ${shape.parallel} parallel = ${requests} requests; invariant held in ${figures.held}/${shape.rounds}${extra ? `; ${extra}` : ''} (${seconds(figures.ms)})`);
    if (failures.length > 0) throw failures[0];
  }

  total(): string {
    const sum = (pick: (f: RaceFigures) => number) => this.races.reduce((total, f) => total + pick(f), 0);
    const rounds = sum((f) => f.rounds);
    return `concurrency: total — ${this.races.length} races, ${rounds} rounds, ${sum((f) => f.requests)} racing requests; invariant held in ${sum((f) => f.held)}/${rounds} (${seconds(sum((f) => f.ms))})`;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
