import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { openCursor, sealCursor, type ListScope } from './list-scope.js';

/**
 * Every list's cursor carries the list it belongs to (see list-scope.ts), for every list at once:
 * `nextCursor` is sealed on the way out, `?cursor=` opened on the way in (before validation and
 * the handler), so the services keep reading their own keys.
 */
@Injectable()
export class ListScopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET') return next.handle();
    const scope: ListScope = { list: `${context.getClass().name}.${context.getHandler().name}`, params: (request.params ?? {}) as Record<string, string> };
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query.cursor === 'string') query.cursor = openCursor(query.cursor, scope);
    return next.handle().pipe(map((body: unknown) => (isPage(body) && body.nextCursor !== null ? { ...body, nextCursor: sealCursor(body.nextCursor, scope) } : body)));
  }
}

function isPage(body: unknown): body is { nextCursor: string | null } {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && 'nextCursor' in body && (typeof body.nextCursor === 'string' || body.nextCursor === null);
}
