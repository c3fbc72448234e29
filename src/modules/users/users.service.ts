import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntry } from '../../common/audit/audit-event.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { assertAcceptablePassword } from '../../common/validation/password.js';
import type { CreateUserRequest, ListUsersQuery, UpdateUserRequest } from './dto/user.requests.js';
import { toUserResponse, type UserResponse } from './dto/user.responses.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsService, type SessionEndReason } from './sessions.service.js';
import { UserEntity } from './user.entity.js';
import { USER_ERRORS } from './users.errors.js';

const RESOURCE = 'user';

/** Staff accounts: created, listed and changed by admins; every change audited with it. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Also for accounts made outside a request (the first admin, demo accounts): the password rules apply to them too. */
  async create(request: CreateUserRequest, context: RequestContext): Promise<UserResponse> {
    assertAcceptablePassword(request.password, { email: request.email }, 'password');
    const passwordHash = await this.hasher.hash(request.password);
    return this.dataSource.transaction(async (manager) => {
      const user = manager.create(UserEntity, {
        email: normalizeEmail(request.email),
        displayName: request.displayName,
        passwordHash,
        roles: request.roles,
        active: true,
      });
      await manager.insert(UserEntity, user).catch(rethrowDuplicateEmail);
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: user.id, detail: { roles: user.roles } }, manager);
      return toUserResponse(user);
    });
  }

  async get(id: string, context: RequestContext): Promise<UserResponse> {
    const user = await this.dataSource.manager.findOneBy(UserEntity, { id });
    if (!user) throw new NotFound('User');
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id });
    return toUserResponse(user);
  }

  async list(query: ListUsersQuery, context: RequestContext): Promise<Page<UserResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = this.dataSource.manager
      .createQueryBuilder(UserEntity, 'u')
      .orderBy('u.email', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1);
    if (query.active) builder.andWhere('u.active = :active', { active: query.active === 'true' });
    if (query.cursor) {
      const [email, id] = decodeCursor(query.cursor, ['string', 'uuid']);
      builder.andWhere('(u.email, u.id) > (:email, :id)', { email, id });
    }
    const rows = await builder.getMany();
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, detail: { count: Math.min(rows.length, limit) } });
    return toPage(rows, limit, (u) => [u.email, u.id], toUserResponse);
  }

  async update(id: string, request: UpdateUserRequest, context: RequestContext): Promise<UserResponse> {
    const passwordHash = request.password ? await this.hasher.hash(request.password) : undefined;
    return this.dataSource.transaction(async (manager) => {
      if (request.active === false || request.roles) await lockActiveAdmins(manager);
      const user = await manager.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFound('User');
      // The DTO checked the password without knowing whose it is.
      if (request.password) assertAcceptablePassword(request.password, { email: user.email }, 'password');
      const rolesBefore = user.roles;
      if (wouldLoseAdmin(user, request)) await ensureAnotherActiveAdmin(manager, id);

      if (request.displayName !== undefined) user.displayName = request.displayName;
      if (request.roles !== undefined) user.roles = request.roles;
      if (request.active !== undefined) user.active = request.active;
      if (passwordHash) user.passwordHash = passwordHash;
      await manager.save(UserEntity, user);
      const ending = sessionEndReason(request, rolesBefore);
      if (ending) await this.sessions.endAllOf(manager, id, ending);

      await this.audit.record(context, updateAuditEntry(id, request, rolesBefore), manager);
      return toUserResponse(user);
    });
  }

  /**
   * For login: the account behind an email, whatever its case (inside the caller's transaction).
   * `share` keeps the row share-locked until that transaction ends, so that a deactivation or a
   * new password waits for the login to finish and then revokes the session it opened.
   */
  findByEmail(email: string, manager: EntityManager = this.dataSource.manager, share = false): Promise<UserEntity | null> {
    const query = manager.createQueryBuilder(UserEntity, 'u').where('lower(u.email) = :email', { email: normalizeEmail(email) });
    return (share ? query.setLock('pessimistic_read') : query).getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOneBy(UserEntity, { id });
  }

  /** For a password change: the account, locked until the caller's transaction ends. */
  lockForUpdate(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id, active: true }, lock: { mode: 'pessimistic_write' } });
  }

  async setPasswordHash(manager: EntityManager, user: UserEntity, passwordHash: string): Promise<void> {
    user.passwordHash = passwordHash;
    await manager.save(UserEntity, user);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Deactivation, a change of roles and a password reset end the account's sessions at once. */
function sessionEndReason(request: UpdateUserRequest, rolesBefore: readonly string[]): SessionEndReason | null {
  if (request.active === false) return 'DEACTIVATED';
  if (request.password) return 'PASSWORD_RESET';
  return rolesChanged(request, rolesBefore) ? 'ROLES_CHANGED' : null;
}

function rolesChanged(request: UpdateUserRequest, rolesBefore: readonly string[]): boolean {
  return !!request.roles && (request.roles.length !== rolesBefore.length || request.roles.some((role) => !rolesBefore.includes(role)));
}

function wouldLoseAdmin(user: UserEntity, request: UpdateUserRequest): boolean {
  if (!user.active || !user.roles.includes('admin')) return false;
  return request.active === false || (request.roles !== undefined && !request.roles.includes('admin'));
}

/**
 * Taken before the target row, in id order, by every change that can remove an admin: two
 * admins demoting each other at once then queue instead of both succeeding (or deadlocking).
 */
async function lockActiveAdmins(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT id FROM users WHERE active AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE`);
}

async function ensureAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<void> {
  const others: unknown[] = await manager.query(`SELECT 1 FROM users WHERE active AND 'admin' = ANY(roles) AND id <> $1 LIMIT 1`, [exceptId]);
  if (others.length === 0) throw USER_ERRORS.LAST_ADMIN('The clinic must keep at least one active admin.');
}

function updateAuditEntry(id: string, request: UpdateUserRequest, rolesBefore: string[]): AuditEntry {
  // What the request set; roles sent unchanged (the same set in another order) changed nothing.
  const changed = (['displayName', 'roles', 'active', 'password'] as const).filter((field) =>
    field === 'roles' ? rolesChanged(request, rolesBefore) : request[field] !== undefined && request[field] !== null,
  );
  return {
    action: 'UPDATE',
    resource: RESOURCE,
    resourceId: id,
    detail: {
      changed: [...changed],
      ...(rolesChanged(request, rolesBefore) ? { rolesBefore, rolesAfter: request.roles } : {}),
      ...(request.active !== undefined ? { active: request.active } : {}),
    },
  };
}

function rethrowDuplicateEmail(error: unknown): never {
  if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
    throw USER_ERRORS.EMAIL_TAKEN('An account with this email already exists.');
  }
  throw error;
}
