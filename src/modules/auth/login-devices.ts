import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { newSecretToken, parseSecretToken, secretMatches } from '../../common/auth/secret-token.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Device tokens (OWASP's "device cookies"): a device that signed in to an account gets
 * `<id>.<secret>`, bound to that account; only a SHA-256 of the secret is stored. Presented again
 * with a login, it makes the attempt one from a known device, which the throttling of unknown
 * devices does not hold back. A token of another account, unknown, malformed or unused for
 * longer than LOGIN_DEVICE_TOKEN_TTL_DAYS counts as no token at all.
 */
@Injectable()
export class LoginDevices {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The id of the presented device when it is a known device of this account, otherwise null. */
  async recognise(manager: EntityManager, userId: string | null, presented: string | undefined): Promise<string | null> {
    const parsed = parseSecretToken(presented);
    if (!userId || !parsed) return null;
    const rows: { user_id: string; secret_hash: Buffer; last_used_at: Date }[] = await manager.query(
      'SELECT user_id, secret_hash, last_used_at FROM login_devices WHERE id = $1',
      [parsed.id],
    );
    const device = rows[0];
    if (!device || device.user_id !== userId || device.last_used_at.getTime() <= this.oldestValid()) return null;
    return secretMatches(device.secret_hash, parsed.secret) ? parsed.id : null;
  }

  /** After a successful sign-in: the known device's token again (its use noted), or a new one. */
  async remember(manager: EntityManager, userId: string, known: { id: string; token: string } | null): Promise<string> {
    const now = this.clock.now();
    if (known) {
      await manager.query('UPDATE login_devices SET last_used_at = $2 WHERE id = $1', [known.id, now]);
      return known.token;
    }
    // Devices of this account that lapsed are of no use any more.
    await manager.query('DELETE FROM login_devices WHERE user_id = $1 AND last_used_at <= $2', [userId, new Date(this.oldestValid())]);
    const { id, token, secretHash } = newSecretToken();
    await manager.query('INSERT INTO login_devices (id, user_id, secret_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)', [id, userId, secretHash, now]);
    return token;
  }

  private oldestValid(): number {
    return this.clock.now().getTime() - this.config.loginThrottle.deviceTokenTtlSeconds * 1000;
  }
}
