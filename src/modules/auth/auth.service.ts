import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { AuthenticatedUser } from '../../common/auth/authenticated-user.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { normalizeEmail, PasswordHasher, SessionsService, UsersService } from '../users/index.js';
import { AccessTokens } from './access-tokens.js';
import type { LoginRequest } from './dto/auth.requests.js';
import { toSessionUser, type TokenPairResponse } from './dto/auth.responses.js';
import { LoginThrottle } from './login-throttle.js';
import { AUTH_ERRORS } from './auth.errors.js';

const RESOURCE = 'session';

type LoginOutcome = { kind: 'ok'; user: AuthenticatedUser; refreshToken: string } | { kind: 'failed' } | { kind: 'throttled'; retryAfter: number };

/** Login, token refresh with rotation and reuse detection, logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  /** Wrong email, wrong password and a deactivated account all get the same 401. */
  async login(request: LoginRequest, context: RequestContext): Promise<TokenPairResponse> {
    const emailKey = normalizeEmail(request.email);
    const outcome = await this.dataSource.transaction((manager) => this.attemptLogin(manager, emailKey, request.password, context));
    if (outcome.kind === 'throttled') throw AUTH_ERRORS.TOO_MANY_ATTEMPTS('Too many failed attempts. Try again later.', undefined, { 'retry-after': String(outcome.retryAfter) });
    if (outcome.kind === 'failed') throw AUTH_ERRORS.INVALID_CREDENTIALS('Invalid email or password.');
    return this.tokenPair(outcome.user, outcome.refreshToken);
  }

  async refresh(presented: string, context: RequestContext): Promise<TokenPairResponse> {
    // Reuse revokes the family; that must commit even though the request then fails.
    const result = await this.dataSource.transaction(async (manager) => {
      const rotation = await this.sessions.rotate(manager, presented);
      const denied = rotation.kind !== 'rotated';
      await this.audit.record(
        context,
        {
          action: 'REFRESH',
          resource: RESOURCE,
          resourceId: rotation.kind === 'invalid' ? null : rotation.familyId,
          actorId: rotation.userId,
          outcome: denied ? 'DENIED' : 'SUCCESS',
          ...(denied ? { detail: { reason: rotation.kind === 'reused' ? 'TOKEN_REUSED_CHAIN_REVOKED' : 'INVALID_TOKEN' } } : {}),
        },
        manager,
      );
      return rotation;
    });
    if (result.kind === 'reused') {
      throw AUTH_ERRORS.REFRESH_TOKEN_REUSED();
    }
    const user = result.kind === 'rotated' ? await this.users.findById(result.userId) : null;
    if (result.kind !== 'rotated' || !user?.active) throw AUTH_ERRORS.INVALID_REFRESH_TOKEN();
    return this.tokenPair(user, result.refreshToken);
  }

  async logout(presented: string, context: SignedInContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ended = await this.sessions.close(manager, presented, context.actor.id);
      await this.audit.record(context, { action: 'LOGOUT', resource: RESOURCE, detail: { sessionEnded: ended } }, manager);
    });
  }

  private async attemptLogin(manager: EntityManager, emailKey: string, password: string, context: RequestContext): Promise<LoginOutcome> {
    // One attempt at a time per account, so parallel guesses cannot slip past the count.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`login:${emailKey}`]);
    const retryAfter = await this.throttle.retryAfter(manager, emailKey, context.address);
    // Same connection as the transaction: a second one per attempt would drain the pool under load.
    // Share-locked: the account checked here is the one the session is opened for.
    const user = await this.users.findByEmail(emailKey, manager, true);
    if (retryAfter !== null) {
      await this.recordFailure(manager, context, user?.id ?? null, 'THROTTLED');
      return { kind: 'throttled', retryAfter };
    }
    const passwordMatches = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!user || !passwordMatches || !user.active) {
      await this.throttle.recordFailure(manager, emailKey, context.address);
      const reason = !user ? 'UNKNOWN_ACCOUNT' : !passwordMatches ? 'WRONG_PASSWORD' : 'INACTIVE_ACCOUNT';
      await this.recordFailure(manager, context, user?.id ?? null, reason);
      return { kind: 'failed' };
    }
    await this.throttle.clearAccount(manager, emailKey);
    const refreshToken = await this.sessions.issue(manager, user.id);
    await this.audit.record(context, { action: 'LOGIN', resource: RESOURCE, actorId: user.id }, manager);
    return { kind: 'ok', user, refreshToken };
  }

  private recordFailure(manager: EntityManager, context: RequestContext, userId: string | null, reason: string): Promise<void> {
    return this.audit.record(context, { action: 'LOGIN_FAILED', resource: RESOURCE, actorId: userId, outcome: 'DENIED', detail: { reason } }, manager);
  }

  private tokenPair(user: AuthenticatedUser, refreshToken: string): TokenPairResponse {
    return { accessToken: this.tokens.sign(user.id), refreshToken, expiresIn: this.tokens.ttlSeconds, user: toSessionUser(user) };
  }
}
