import type { RoundResult } from './load.js';

export interface SideSummary {
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Lowest and highest req/s of the measured rounds: how noisy this side was. */
  minReqPerSec: number;
  maxReqPerSec: number;
  requests: number;
  /** CPU ms per request over the measured rounds: the server process, and the whole PostgreSQL cluster. */
  cpuMsPerRequest: { server: number | null; database: number | null };
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** Connections in flight during its rounds. */
  connections: number;
  /** The app's p95 target (ms), for scenarios that have one. */
  p95TargetMs?: number;
  /** SQL statements for one request, as sent (transaction control included). */
  statements: { app: string[]; baseline: string[] };
  problems: string[];
  app: SideSummary | null;
  baseline: SideSummary | null;
  /** app req/s ÷ baseline req/s, over all measured rounds. */
  ratio: number | null;
  /** The same for each app/baseline pair of rounds on its own: how much the machine moved it. */
  pairRatios: number[];
  /** A scenario drawing its requests from a source: what it drew, and whether it kept its mix. */
  drawn?: { text: string; short: boolean };
  /** Warm-up rounds (discarded) then the measured ones, in the order run. */
  rounds: (RoundResult & { warmup: boolean })[];
  /** EXPLAIN ANALYZE of statements both servers send (scenarios that name some). */
  plans?: { label: string; plan: string[] }[];
}

export function summarise(rounds: RoundResult[], latencies: number[], quantile: (values: number[], q: number) => number): SideSummary {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const rates = rounds.map((r) => r.reqPerSec);
  return {
    reqPerSec: round(requests / seconds, 0),
    p50: round(quantile(latencies, 0.5), 2),
    p95: round(quantile(latencies, 0.95), 2),
    p99: round(quantile(latencies, 0.99), 2),
    minReqPerSec: round(Math.min(...rates), 0),
    maxReqPerSec: round(Math.max(...rates), 0),
    requests,
    cpuMsPerRequest: { server: weighted(rounds, (r) => r.cpuMsPerRequest.server), database: weighted(rounds, (r) => r.cpuMsPerRequest.database) },
  };
}

/** The per-request mean over rounds of different sizes; null if any round could not be measured. */
function weighted(rounds: RoundResult[], value: (r: RoundResult) => number | null): number | null {
  let total = 0;
  let requests = 0;
  for (const r of rounds) {
    const v = value(r);
    if (v === null) return null;
    total += v * r.requests;
    requests += r.requests;
  }
  return requests === 0 ? null : round(total / requests, 3);
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The table printed at the end (and pasted into the README). */
export function table(results: ScenarioResult[]): string {
  const header = ['scenario', 'app req/s', 'app p50', 'app p95', 'app p99', 'base req/s', 'base p50', 'base p95', 'base p99', 'ratio', 'pairs', 'cpu ms/req app/base', 'SQL app/base'];
  const rows = results.map((r) => [
    r.name,
    fmt(r.app?.reqPerSec, 0),
    fmt(r.app?.p50, 1),
    fmt(r.app?.p95, 1),
    fmt(r.app?.p99, 1),
    fmt(r.baseline?.reqPerSec, 0),
    fmt(r.baseline?.p50, 1),
    fmt(r.baseline?.p95, 1),
    fmt(r.baseline?.p99, 1),
    fmt(r.ratio ?? undefined, 2),
    r.pairRatios.length ? `${fmt(Math.min(...r.pairRatios), 2)}–${fmt(Math.max(...r.pairRatios), 2)}` : '—',
    `${fmt(r.app?.cpuMsPerRequest.server ?? undefined, 2)}/${fmt(r.baseline?.cpuMsPerRequest.server ?? undefined, 2)}`,
    `${r.statements.app.length}/${r.statements.baseline.length}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** One line per scenario with a latency target: met or not, at how many connections. */
export function targets(results: ScenarioResult[]): string[] {
  return results
    .filter((r) => r.p95TargetMs !== undefined && r.app)
    .map((r) => `${r.name}: app p95 ${r.app!.p95.toFixed(1)} ms at ${r.connections} connections, target ${r.p95TargetMs} ms: ${r.app!.p95 <= r.p95TargetMs! ? 'met' : 'NOT MET'}`);
}

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}
