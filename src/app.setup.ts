import fastifyCors from '@fastify/cors';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { toErrorResponse } from './common/errors/error-response.js';
import { CORRELATION_HEADER, correlationIdOf } from './common/http/correlation-id.js';
import { corsOptions } from './common/http/cors.js';
import { acceptJsonBodiesOnly } from './common/http/json-body.js';
import { SECURITY_HEADERS } from './common/http/security-headers.js';
import { setUpApiDocs } from './common/http/api-docs.js';
import { AppConfig } from './config/app-config.js';

export const API_PREFIX = 'api/v1';
const ONE_MEGABYTE = 1024 * 1024;

/**
 * Nest's adapter registers a form-encoded parser beside JSON when the app starts; this one
 * installs the JSON-only parser instead (json-body.ts), whoever creates the application.
 */
class JsonBodiesAdapter extends FastifyAdapter {
  private parsersInstalled = false;

  override registerParserMiddleware(): void {
    if (this.parsersInstalled) return;
    this.parsersInstalled = true;
    acceptJsonBodiesOnly(this.getInstance());
  }
}

/** The HTTP server under Nest: body limit, proxy trust, correlation ids and JSON-only bodies. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new JsonBodiesAdapter({
    bodyLimit: ONE_MEGABYTE,
    trustProxy: typeof config.trustProxy === 'number' ? hopsWithin(config.trustProxy) : config.trustProxy,
    genReqId: correlationIdOf,
    requestIdHeader: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    logger: false,
    // The router refuses a malformed URL (400) or an over-long path parameter (414) before any
    // hook or filter runs: give those the API's error body and headers too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const response = toErrorResponse(error, String(request.id));
      void reply.status(response.status).headers({ ...SECURITY_HEADERS, ...response.headers, [CORRELATION_HEADER]: String(request.id) }).type('application/json').send(response.body);
    },
  });
}

/** Trust the nearest `hops` proxies for X-Forwarded-For, and no further. */
function hopsWithin(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/**
 * Everything around the modules: logging, prefix, headers, CORS, API docs. Errors from Fastify
 * itself (malformed JSON, body too large) reach the global exception filter through Nest.
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.headers(SECURITY_HEADERS).header(CORRELATION_HEADER, String(request.id));
    done();
  });
  // After the hook above, so that a preflight answered here carries the correlation id too.
  if (config.corsOrigins.length > 0) await fastify.register(fastifyCors, corsOptions(config.corsOrigins));
  if (config.apiDocs) setUpApiDocs(app);
}
