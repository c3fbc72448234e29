import autocannon from 'autocannon';
import type { Scenario } from './scenarios.js';

/** One autocannon round against one server. */
export interface RoundResult {
  server: 'app' | 'baseline';
  seconds: number;
  requests: number;
  reqPerSec: number;
  /** autocannon's own percentiles for this round, ms. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU milliseconds per completed request: the server under test, the whole PostgreSQL cluster, the load generator. */
  cpuMsPerRequest: { server: number | null; database: number | null; loadGenerator: number };
  /** The machine's 1-minute load average at the end of the round (the benchmark's own processes included). */
  loadAverage: number;
  /** Cores other processes kept busy on average during the round (see otherCores in run.ts); null off Linux. */
  otherCores: number | null;
  /** Bodies of the first few non-2xx answers, and the first few connection errors. */
  samples: string[];
}

export interface RoundOptions {
  url: string;
  scenario: Scenario;
  connections: number;
  seconds: number;
  server: 'app' | 'baseline';
  /** Receives the latency (ms) of every 2xx response. */
  latencies?: number[];
}

const MAX_SAMPLES = 3;

export async function runRound(options: RoundOptions): Promise<RoundResult> {
  const { scenario } = options;
  const { source } = scenario;
  const samples: string[] = [];
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    headers: {
      authorization: `Bearer ${scenario.staff.accessToken}`,
      ...(source !== undefined || scenario.requests[0]!.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    // Built once each: no per-request work in the load generator beyond sending. A source's
    // requests are drawn one by one (setupClient gives each connection its own).
    requests: source ? [{ method: 'GET', path: '/' }] : scenario.requests.map((r) => ({ method: r.method, path: r.path, ...(r.body !== undefined ? { body: r.body } : {}) })),
    setupClient: (client) => {
      // autocannon shares one request object between its connections and builds the first one
      // before this runs: a list of each connection's own, whose every request is a new draw.
      if (source) client.setRequests([{ setupRequest: (request) => ({ ...request, ...source.next() }) }]);
      // Keep the body only of a non-2xx answer, for the report; a boolean test per chunk otherwise.
      let failing = false;
      let body = '';
      client.on('headers', (headers: unknown) => {
        const status = (headers as { statusCode?: number }).statusCode ?? 0;
        failing = samples.length < MAX_SAMPLES && (status < 200 || status > 299);
        body = failing ? `HTTP ${status}: ` : '';
      });
      client.on('body', (chunk: Buffer) => {
        if (failing && body.length < 2000) body += chunk.toString('utf8');
      });
      client.on('response', () => {
        if (failing && samples.length < MAX_SAMPLES) samples.push(`${options.server} ${scenario.name}: ${body.slice(0, 1000)}`);
        failing = false;
      });
    },
  }, (error, result) => (error ? fail(error) : finish(result)));
  const latencies = options.latencies;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (latencies && statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  instance.on('reqError', (error: unknown) => {
    if (samples.length < MAX_SAMPLES) samples.push(`${options.server} ${scenario.name}: connection error: ${String((error as Error)?.message ?? error)}`);
  });
  const result = await done;
  const requests = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const statusCodes = Object.fromEntries(Object.entries((result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    server: options.server,
    seconds: result.duration,
    requests,
    reqPerSec: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    cpuMsPerRequest: { server: null, database: null, loadGenerator: 0 },
    loadAverage: 0,
    otherCores: null,
    samples,
  };
}

/** The q-quantile (0..1) of unsorted values, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
