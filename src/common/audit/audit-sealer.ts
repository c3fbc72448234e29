import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { LogPace } from '../logging/log-pace.js';

/** What each run sends: one statement, whatever the number of rows to seal. */
export const SEAL_STATEMENT = 'SELECT audit_seal() AS sealed';

/**
 * Chains new audit rows into the hash chain (the database function audit_seal(), see the
 * foundation migration) every second, so writers never wait on one another for the chain.
 * Several instances may run it at once: the chain head's row lock orders them.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Promise<number>>();
  private ticking = false;
  private readonly failures = new LogPace();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.auditSealIntervalMs);
    this.timer.unref();
  }

  /**
   * Before, not on, shutdown: TypeORM ends its connections in its own onApplicationShutdown, which
   * may run first and would cut a seal in progress ("Connection terminated").
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** Seals every row committed so far; returns how many. */
  async seal(): Promise<number> {
    const run = this.dataSource.query(SEAL_STATEMENT).then((rows: { sealed: number }[]) => rows[0]?.sealed ?? 0);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  /** seal(), but a failure is logged rather than thrown: the next run tries again. */
  async trySeal(): Promise<void> {
    await this.seal().catch((error: unknown) => {
      // The SQLSTATE says what went wrong without any row's contents.
      const { name, code } = error as Error & { code?: string };
      // Every second during an outage: one line every few seconds says so.
      const leftOut = this.failures.due();
      if (leftOut !== null) this.logger.warn({ errorName: name, sqlState: code, failuresNotLogged: leftOut }, 'Sealing the audit trail failed; will retry');
    });
  }

  /**
   * One timed run at a time: when sealing takes longer than the interval (a slow or locked
   * database), the ticks in between are skipped rather than piling up on the head's lock, each
   * holding one of the pool's connections.
   */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.trySeal();
    } finally {
      this.ticking = false;
    }
  }
}
