import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { newSecretToken, parseSecretToken, secretMatches } from '../../common/auth/secret-token.js';
import { AppConfig } from '../../config/app-config.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';

/** Why a session ended; kept on the session row. */
export type SessionEndReason = 'LOGOUT' | 'REFRESH_TOKEN_REUSED' | 'DEACTIVATED' | 'ROLES_CHANGED' | 'PASSWORD_RESET' | 'PASSWORD_CHANGED';

/** What presenting a refresh token led to. */
export type RotationResult =
  | { kind: 'rotated'; userId: string; familyId: string; refreshToken: string }
  | { kind: 'reused'; userId: string; familyId: string }
  | { kind: 'invalid'; userId: string | null };

/**
 * Sessions and their refresh tokens. A session is one sign-in: a row in `sessions` whose id is
 * the refresh-token family and the `sid` of its access tokens; ending it refuses those access
 * tokens on the next request (the JWT strategy reads it with the user). Refresh tokens are
 * `<id>.<secret>`, of which only a SHA-256 of the secret is stored.
 * Every method runs inside the caller's transaction.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A new session (a sign-in) and its first refresh token. */
  async start(manager: EntityManager, userId: string): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    await manager.query('INSERT INTO sessions (id, user_id, started_at) VALUES ($1, $2, $3)', [sessionId, userId, this.clock.now()]);
    return { sessionId, refreshToken: await this.issue(manager, userId, sessionId) };
  }

  /** The next refresh token of a session's family. */
  private async issue(manager: EntityManager, userId: string, familyId: string): Promise<string> {
    const { id, token, secretHash } = newSecretToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.refreshTokenTtlSeconds * 1000);
    await manager.insert(RefreshTokenEntity, { id, userId, familyId, secretHash, expiresAt });
    return token;
  }

  /**
   * Uses a token once. The row lock makes two concurrent uses of one token see each other:
   * the second is a reuse, and revokes the family.
   */
  async rotate(manager: EntityManager, presented: string): Promise<RotationResult> {
    const active = await this.lockOwner(manager, presented);
    const token = await this.findLocked(manager, presented);
    if (!token) return { kind: 'invalid', userId: null };
    if (token.revokedAt) return { kind: 'invalid', userId: token.userId };
    if (token.usedAt) {
      await this.endSession(manager, token.familyId, 'REFRESH_TOKEN_REUSED');
      return { kind: 'reused', userId: token.userId, familyId: token.familyId };
    }
    if (token.expiresAt <= this.clock.now()) return { kind: 'invalid', userId: token.userId };
    if (!active) return { kind: 'invalid', userId: token.userId };
    await manager.update(RefreshTokenEntity, { id: token.id }, { usedAt: this.clock.now() });
    const refreshToken = await this.issue(manager, token.userId, token.familyId);
    return { kind: 'rotated', userId: token.userId, familyId: token.familyId, refreshToken };
  }

  /** Ends the session the token belongs to, if it belongs to this user. */
  async close(manager: EntityManager, presented: string, userId: string): Promise<boolean> {
    const token = await this.findLocked(manager, presented);
    if (!token || token.userId !== userId) return false;
    await this.endSession(manager, token.familyId, 'LOGOUT');
    return true;
  }

  /**
   * Ends every open session of a user, but the one given (deactivation, a change of roles, a new
   * password): their refresh tokens are revoked and their access tokens refused from now on.
   */
  async endAllOf(manager: EntityManager, userId: string, reason: SessionEndReason, exceptSessionId: string | null = null): Promise<number> {
    const [{ ended }]: { ended: number }[] = await manager.query(
      `WITH ended AS (
         UPDATE sessions SET ended_at = $3, end_reason = $4 WHERE user_id = $1 AND ended_at IS NULL AND id IS DISTINCT FROM $2 RETURNING id),
       revoked AS (
         UPDATE refresh_tokens SET revoked_at = $3 WHERE family_id IN (SELECT id FROM ended) AND revoked_at IS NULL)
       SELECT count(*)::int AS ended FROM ended`,
      [userId, exceptSessionId, this.clock.now(), reason],
    );
    return ended;
  }

  private async endSession(manager: EntityManager, sessionId: string, reason: SessionEndReason): Promise<void> {
    await manager.query('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL', [sessionId, this.clock.now(), reason]);
    await manager.update(RefreshTokenEntity, { familyId: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /**
   * Whether the token's owner is active, share-locking the owner's row first. A deactivation or a
   * new password locks that row, then revokes the tokens: taken in the same order, the two queue
   * instead of deadlocking, and a token issued here is either revoked by them or refused.
   */
  private async lockOwner(manager: EntityManager, presented: string): Promise<boolean> {
    const parsed = parseSecretToken(presented);
    if (!parsed) return false;
    const rows: { active: boolean }[] = await manager.query(
      'SELECT u.active FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1 FOR SHARE OF u',
      [parsed.id],
    );
    return rows[0]?.active ?? false;
  }

  private async findLocked(manager: EntityManager, presented: string): Promise<RefreshTokenEntity | null> {
    const parsed = parseSecretToken(presented);
    if (!parsed) return null;
    const token = await manager.findOne(RefreshTokenEntity, { where: { id: parsed.id }, lock: { mode: 'pessimistic_write' } });
    return token && secretMatches(token.secretHash, parsed.secret) ? token : null;
  }
}
