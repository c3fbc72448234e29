import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from './authenticated-user.js';

/** Who is asking, from where, under which correlation id: what services need for audit. */
export interface RequestContext {
  actor: AuthenticatedUser | null;
  correlationId: string;
  address: string;
}

/** The context of a request made by a signed-in staff member (every route but the public ones). */
export type SignedInContext = RequestContext & { actor: AuthenticatedUser };

export function requestContextOf(request: FastifyRequest): RequestContext {
  return {
    actor: (request as FastifyRequest & { user?: AuthenticatedUser }).user ?? null,
    correlationId: String(request.id),
    address: request.ip,
  };
}

/** Injects the `RequestContext` of the current request into a controller method. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext =>
  requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** Context for work the service does on its own (start-up, scripts). */
export function systemContext(purpose: string): RequestContext {
  return { actor: null, correlationId: `system:${purpose}`, address: 'localhost' };
}
