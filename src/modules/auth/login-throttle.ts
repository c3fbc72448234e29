import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Counts failed logins per account (the email typed, known or not) and per client address
 * over a sliding window. Refused attempts are not counted, so the lock lifts on its own.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Seconds to wait before trying again, or null when the attempt may go ahead. */
  async retryAfter(manager: EntityManager, emailKey: string, address: string): Promise<number | null> {
    const { maxFailuresPerAccount, maxFailuresPerAddress } = this.config.loginThrottle;
    const since = this.windowStart();
    const waits = await Promise.all([
      this.waitFor(manager, 'email_key', emailKey, maxFailuresPerAccount, since),
      this.waitFor(manager, 'address', address, maxFailuresPerAddress, since),
    ]);
    const wait = Math.max(...waits);
    return wait > 0 ? wait : null;
  }

  async recordFailure(manager: EntityManager, emailKey: string, address: string): Promise<void> {
    await manager.query('INSERT INTO login_failures (email_key, address, at) VALUES ($1, $2, $3)', [emailKey, address, this.clock.now()]);
    // Rows older than the window no longer matter.
    await manager.query('DELETE FROM login_failures WHERE (email_key = $1 OR address = $2) AND at <= $3', [emailKey, address, this.windowStart()]);
  }

  async clearAccount(manager: EntityManager, emailKey: string): Promise<void> {
    await manager.query('DELETE FROM login_failures WHERE email_key = $1', [emailKey]);
  }

  /** When the max-th most recent failure leaves the window, the count drops below the limit. */
  private async waitFor(manager: EntityManager, column: 'email_key' | 'address', key: string, max: number, since: Date): Promise<number> {
    const rows: { at: Date }[] = await manager.query(
      `SELECT at FROM login_failures WHERE ${column} = $1 AND at > $2 ORDER BY at DESC OFFSET $3 LIMIT 1`,
      [key, since, max - 1],
    );
    const limiting = rows[0];
    if (!limiting) return 0;
    const liftsAt = limiting.at.getTime() + this.config.loginThrottle.windowSeconds * 1000;
    return Math.max(1, Math.ceil((liftsAt - this.clock.now().getTime()) / 1000));
  }

  private windowStart(): Date {
    return new Date(this.clock.now().getTime() - this.config.loginThrottle.windowSeconds * 1000);
  }
}
