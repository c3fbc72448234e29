import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogPace } from '../logging/log-pace.js';
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
    else if (response.status === 503) this.logOutage(exception);
    void reply.status(response.status).headers(response.headers).type('application/json').send(response.body);
  }

  private readonly outage = new LogPace();

  /** An outage fails every request alike: one line every few seconds says so, not one per request. */
  private logOutage(exception: unknown): void {
    const leftOut = this.outage.due();
    if (leftOut === null) return;
    const error = exception as { name?: string; code?: string } | null;
    this.logger.warn({ errorName: error?.name, errorCode: error?.code, requestsNotLogged: leftOut }, 'Database unreachable: answering 503');
  }

  private logUnexpected(exception: unknown, correlationId: string): void {
    // Name, code and call stack only: messages from the driver can quote the values of a row.
    const error = exception as { name?: string; code?: string; stack?: string } | null;
    const frames = error?.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
    this.logger.error({ correlationId, errorName: error?.name, errorCode: error?.code, stack: frames }, 'Unexpected error');
  }
}
