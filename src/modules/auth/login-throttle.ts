import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Counts failed logins over a sliding window, after OWASP's device-cookie pattern:
 * - from unknown devices (no valid device token for the account), per account (the email
 *   typed, known or not) and per client address; past either limit, unknown devices wait;
 * - from a known device, per device; past the per-account limit only that device waits.
 * A stranger's failures therefore never lock out a device that signed in before. Refused
 * attempts are not counted, so the wait ends on its own.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Seconds to wait before trying again, or null when the attempt may go ahead. */
  async retryAfter(manager: EntityManager, emailKey: string, address: string, deviceId: string | null): Promise<number | null> {
    const { maxFailuresPerAccount, maxFailuresPerAddress } = this.config.loginThrottle;
    const since = this.windowStart();
    const waits = deviceId
      ? [await this.waitFor(manager, 'device_id', deviceId, maxFailuresPerAccount, since)]
      : await Promise.all([
          this.waitFor(manager, 'email_key', emailKey, maxFailuresPerAccount, since),
          this.waitFor(manager, 'address', address, maxFailuresPerAddress, since),
        ]);
    const wait = Math.max(...waits);
    return wait > 0 ? wait : null;
  }

  async recordFailure(manager: EntityManager, emailKey: string, address: string, deviceId: string | null): Promise<void> {
    await manager.query('INSERT INTO login_failures (email_key, address, at, device_id) VALUES ($1, $2, $3, $4)', [emailKey, address, this.clock.now(), deviceId]);
    // Rows older than the window no longer matter.
    await manager.query('DELETE FROM login_failures WHERE (email_key = $1 OR address = $2) AND at <= $3', [emailKey, address, this.windowStart()]);
  }

  /** A known device signed in: its own failures are forgiven (those of unknown devices are not). */
  async clearDevice(manager: EntityManager, deviceId: string): Promise<void> {
    await manager.query('DELETE FROM login_failures WHERE device_id = $1', [deviceId]);
  }

  /** When the max-th most recent failure leaves the window, the count drops below the limit. */
  private async waitFor(manager: EntityManager, column: 'email_key' | 'address' | 'device_id', key: string, max: number, since: Date): Promise<number> {
    const unknownOnly = column === 'device_id' ? '' : 'AND device_id IS NULL';
    const rows: { at: Date }[] = await manager.query(
      `SELECT at FROM login_failures WHERE ${column} = $1 AND at > $2 ${unknownOnly} ORDER BY at DESC OFFSET $3 LIMIT 1`,
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
