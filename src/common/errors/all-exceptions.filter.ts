import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response.js';

/** The one place where errors become HTTP responses (api.md §Conventions). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception, String(request.id));
    if (response.unexpected) this.logUnexpected(exception, String(request.id));
    void reply.status(response.status).headers(response.headers).type('application/json').send(response.body);
  }

  private logUnexpected(exception: unknown, correlationId: string): void {
    // Name, code and call stack only: messages from the driver can quote the values of a row.
    const error = exception as { name?: string; code?: string; stack?: string } | null;
    const frames = error?.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
    this.logger.error({ correlationId, errorName: error?.name, errorCode: error?.code, stack: frames }, 'Unexpected error');
  }
}
