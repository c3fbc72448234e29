import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Unauthenticated } from '../../common/errors/common.errors.js';
import { assertAcceptablePassword } from '../../common/validation/password.js';
import { PasswordHasher, SessionsService, UsersService } from '../users/index.js';
import type { ChangePasswordRequest } from './dto/auth.requests.js';
import { LoginThrottle } from './login-throttle.js';
import { AUTH_ERRORS } from './auth.errors.js';

type ChangeOutcome = { kind: 'changed' } | { kind: 'wrong' } | { kind: 'throttled'; retryAfter: number };

/**
 * A signed-in staff member changes their own password, proving the current one. The session the
 * request came from stays open; every other session of the account ends at once. A wrong current
 * password counts as a failed login from an unknown device: a stolen access token does not open
 * unlimited guesses.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  async change(request: ChangePasswordRequest, context: SignedInContext): Promise<void> {
    if (request.newPassword === request.currentPassword) {
      throw AUTH_ERRORS.SAME_PASSWORD('The new password must differ from the current one.', [{ field: 'newPassword', reason: 'must differ from the current password' }]);
    }
    // The DTO checked it without knowing whose it is.
    assertAcceptablePassword(request.newPassword, { email: context.actor.email }, 'newPassword');
    const newHash = await this.hasher.hash(request.newPassword);
    const outcome = await this.dataSource.transaction((manager) => this.attempt(manager, request.currentPassword, newHash, context));
    if (outcome.kind === 'throttled') throw AUTH_ERRORS.TOO_MANY_ATTEMPTS('Too many failed attempts. Try again later.', undefined, { 'retry-after': String(outcome.retryAfter) });
    if (outcome.kind === 'wrong') {
      throw AUTH_ERRORS.WRONG_CURRENT_PASSWORD('The current password is not right.', [{ field: 'currentPassword', reason: 'is not the current password' }]);
    }
  }

  private async attempt(manager: EntityManager, currentPassword: string, newHash: string, context: SignedInContext): Promise<ChangeOutcome> {
    const user = await this.users.lockForUpdate(manager, context.actor.id);
    // The account went away (deactivated) after the token was checked: the caller is no longer signed in.
    if (!user) throw new Unauthenticated();
    const retryAfter = await this.throttle.retryAfter(manager, user.email, context.address, null);
    if (retryAfter !== null) {
      await this.record(manager, context, 'DENIED', { reason: 'THROTTLED' });
      return { kind: 'throttled', retryAfter };
    }
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      await this.throttle.recordFailure(manager, user.email, context.address, null);
      await this.record(manager, context, 'DENIED', { reason: 'WRONG_PASSWORD' });
      return { kind: 'wrong' };
    }
    await this.users.setPasswordHash(manager, user, newHash);
    const ended = await this.sessions.endAllOf(manager, user.id, 'PASSWORD_CHANGED', context.actor.sessionId ?? null);
    await this.record(manager, context, 'SUCCESS', { changed: ['password'], otherSessionsEnded: ended });
    return { kind: 'changed' };
  }

  private record(manager: EntityManager, context: SignedInContext, outcome: 'SUCCESS' | 'DENIED', detail: Record<string, string | number | string[]>): Promise<void> {
    return this.audit.record(context, { action: 'UPDATE', resource: 'password', resourceId: context.actor.id, outcome, detail }, manager);
  }
}
