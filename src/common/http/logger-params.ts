import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { correlationIdOf } from './correlation-id.js';

/**
 * Structured JSON request logs. They carry ids, method, path, status and timing only: no
 * headers (tokens), no query strings, no bodies, so no patient details reach the logs.
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    customAttributeKeys: { reqId: 'correlationId' },
    serializers: {
      req: (request: IncomingMessage) => ({ method: request.method, path: (request.url ?? '').split('?')[0] }),
      res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
      // pino-http attaches an error (with a stack) to every 5xx line, already serialised; the status
      // says it all, and the exception filter logs what an unexpected error needs, once.
      err: (error: { type?: string }) => ({ type: error.type }),
    },
    redact: { paths: ['req.headers', 'res.headers', '*.password', '*.refreshToken', '*.accessToken'], remove: true },
    quietReqLogger: true,
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
