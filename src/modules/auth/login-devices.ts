import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/http/uuid-param.pipe.js';
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
    const [id, secret] = (presented ?? '').split('.');
    if (!userId || !isUuid(id) || !secret) return null;
    const rows: { user_id: string; secret_hash: Buffer; last_used_at: Date }[] = await manager.query(
      'SELECT user_id, secret_hash, last_used_at FROM login_devices WHERE id = $1',
      [id],
    );
    const device = rows[0];
    if (!device || device.user_id !== userId || device.last_used_at.getTime() <= this.oldestValid()) return null;
    const hash = sha256(secret);
    return device.secret_hash.length === hash.length && timingSafeEqual(device.secret_hash, hash) ? id : null;
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
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await manager.query('INSERT INTO login_devices (id, user_id, secret_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)', [id, userId, sha256(secret), now]);
    return `${id}.${secret}`;
  }

  private oldestValid(): number {
    return this.clock.now().getTime() - this.config.loginThrottle.deviceTokenTtlSeconds * 1000;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
