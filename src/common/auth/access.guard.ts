import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import type { AuditAction } from '../audit/audit-event.js';
import { AuditService } from '../audit/audit.service.js';
import { refusedPatientOf } from '../audit/refused-patient.js';
import { Forbidden, Unauthenticated } from '../errors/common.errors.js';
import { ACCESS_METADATA, type AccessRule } from './access.decorators.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { requestContextOf } from './request-context.js';

const ACTION_BY_METHOD: Record<string, AuditAction> = { GET: 'READ', HEAD: 'READ', POST: 'CREATE', PUT: 'UPDATE', PATCH: 'UPDATE', DELETE: 'UPDATE' };

/**
 * The global guard: denies by default. A route is open only if it declares `@Public()`, or
 * `@AnyStaff()`/`@Roles(...)` and the caller's current roles match (searchers' only with a
 * `q`). Refusals are audited.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (rule?.kind === 'public') return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: AuthenticatedUser }>();
    if (rule?.kind === 'any-staff') return true;
    if (rule?.kind === 'roles' && rule.roles.some((role) => request.user.roles.includes(role))) return true;
    if (rule?.kind === 'roles' && rule.searchers?.some((role) => request.user.roles.includes(role)) && searches(request)) return true;
    await this.recordRefusal(request);
    throw new Forbidden();
  }

  /**
   * A bad token reaches here as `user === false`; an `error` is the user lookup failing (the
   * database down, say). That is not the caller's fault: it goes to the filter as it is (a 503
   * for an outage), never as a 401 that would make clients throw good tokens away.
   */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new Unauthenticated();
    return user;
  }

  private async recordRefusal(request: FastifyRequest): Promise<void> {
    const params = request.params as Record<string, string> | undefined;
    await this.audit.record(requestContextOf(request), {
      action: ACTION_BY_METHOD[request.method] ?? 'READ',
      resource: request.routeOptions.url ?? 'unknown',
      resourceId: params?.id ?? null,
      patientId: await refusedPatientOf(this.dataSource, request.routeOptions.url, params?.id),
      outcome: 'DENIED',
    });
  }
}

/** The request asks for a search: `q` with something in it (validation then checks what). */
function searches(request: FastifyRequest): boolean {
  const q = (request.query as Record<string, unknown> | undefined)?.q;
  return typeof q === 'string' && q.trim() !== '';
}
