import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { AuthenticatedUser } from '../../common/auth/authenticated-user.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { normalizeEmail, PasswordHasher, SessionsService, UsersService } from '../users/index.js';
import { AccessTokens } from './access-tokens.js';
import type { LoginRequest } from './dto/auth.requests.js';
import { toSessionUser, type TokenPairResponse } from './dto/auth.responses.js';
import { LoginDevices } from './login-devices.js';
import { LoginThrottle } from './login-throttle.js';
import { AUTH_ERRORS } from './auth.errors.js';

export const SESSION_RESOURCE = 'session';

type LoginOutcome =
  | { kind: 'ok'; user: AuthenticatedUser; sessionId: string; refreshToken: string; deviceToken: string }
  | { kind: 'failed' }
  | { kind: 'throttled'; retryAfter: number };

/** Login (with device tokens and throttling), token refresh with rotation and reuse detection, logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly devices: LoginDevices,
    private readonly audit: AuditService,
  ) {}

  /** Wrong email, wrong password and a deactivated account all get the same 401. */
  async login(request: LoginRequest, context: RequestContext): Promise<TokenPairResponse> {
    const emailKey = normalizeEmail(request.email);
    const outcome = await this.dataSource.transaction((manager) => this.attemptLogin(manager, emailKey, request, context));
    if (outcome.kind === 'throttled') throw AUTH_ERRORS.TOO_MANY_ATTEMPTS('Too many failed attempts. Try again later.', undefined, { 'retry-after': String(outcome.retryAfter) });
    if (outcome.kind === 'failed') throw AUTH_ERRORS.INVALID_CREDENTIALS('Invalid email or password.');
    return { ...this.tokenPair(outcome.user, outcome.sessionId, outcome.refreshToken), deviceToken: outcome.deviceToken };
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
          resource: SESSION_RESOURCE,
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
    return this.tokenPair(user, result.familyId, result.refreshToken);
  }

  async logout(presented: string, context: SignedInContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ended = await this.sessions.close(manager, presented, context.actor.id);
      await this.audit.record(context, { action: 'LOGOUT', resource: SESSION_RESOURCE, detail: { sessionEnded: ended } }, manager);
    });
  }

  private async attemptLogin(manager: EntityManager, emailKey: string, request: LoginRequest, context: RequestContext): Promise<LoginOutcome> {
    // One attempt at a time per account, so parallel guesses cannot slip past the count.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`login:${emailKey}`]);
    // Same connection as the transaction: a second one per attempt would drain the pool under load.
    // Share-locked: the account checked here is the one the session is opened for.
    const user = await this.users.findByEmail(emailKey, manager, true);
    const deviceId = await this.devices.recognise(manager, user?.id ?? null, request.deviceToken);
    // From an unknown device the address is counted too: one attempt at a time per address, or a
    // burst of guesses across many accounts would all pass its count before any was recorded. Taken
    // after the account's lock, always in that order, so two attempts never wait on each other.
    if (!deviceId) await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`login-address:${context.address}`]);
    const retryAfter = await this.throttle.retryAfter(manager, emailKey, context.address, deviceId);
    if (retryAfter !== null) {
      await this.recordFailure(manager, context, user?.id ?? null, 'THROTTLED', deviceId);
      return { kind: 'throttled', retryAfter };
    }
    const passwordMatches = await this.hasher.verify(user?.passwordHash ?? null, request.password);
    if (!user || !passwordMatches || !user.active) {
      await this.throttle.recordFailure(manager, emailKey, context.address, deviceId);
      const reason = !user ? 'UNKNOWN_ACCOUNT' : !passwordMatches ? 'WRONG_PASSWORD' : 'INACTIVE_ACCOUNT';
      await this.recordFailure(manager, context, user?.id ?? null, reason, deviceId);
      return { kind: 'failed' };
    }
    if (deviceId) await this.throttle.clearDevice(manager, deviceId);
    const deviceToken = await this.devices.remember(manager, user.id, deviceId ? { id: deviceId, token: request.deviceToken! } : null);
    const { sessionId, refreshToken } = await this.sessions.start(manager, user.id);
    await this.audit.record(context, { action: 'LOGIN', resource: SESSION_RESOURCE, resourceId: sessionId, actorId: user.id }, manager);
    return { kind: 'ok', user, sessionId, refreshToken, deviceToken };
  }

  private recordFailure(manager: EntityManager, context: RequestContext, userId: string | null, reason: string, deviceId: string | null): Promise<void> {
    const detail: Record<string, string | boolean> = deviceId ? { reason, knownDevice: true } : { reason };
    return this.audit.record(context, { action: 'LOGIN_FAILED', resource: SESSION_RESOURCE, actorId: userId, outcome: 'DENIED', detail }, manager);
  }

  private tokenPair(user: AuthenticatedUser, sessionId: string, refreshToken: string): TokenPairResponse {
    return { accessToken: this.tokens.sign(user.id, sessionId), refreshToken, expiresIn: this.tokens.ttlSeconds, user: toSessionUser(user) };
  }
}
