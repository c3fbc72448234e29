import { rmSync } from 'node:fs';

interface TestPostgres {
  server: { stop(): Promise<void> };
  dataDir: string;
}

/** Stops the run's PostgreSQL and removes its data. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __clinicTestPostgres?: TestPostgres }).__clinicTestPostgres;
  if (!started) return;
  await started.server.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
