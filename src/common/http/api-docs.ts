import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_EXTENSION } from '../auth/access.decorators.js';
import { allCataloguedErrors } from '../errors/error-catalogue.js';
import { ErrorBodyDto } from '../errors/error-body.dto.js';

const ERROR_REF = { $ref: '#/components/schemas/ErrorBodyDto' };
const error = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
export function setUpApiDocs(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Clinic case-management API')
    .setDescription(
      'Admissions, taper, pain plan, billing and aftercare for a residential opioid-taper clinic. ' +
        'Sign in at POST /api/v1/auth/login and send the access token as `Authorization: Bearer <token>`. ' +
        'Every error has the ErrorBodyDto body; every response carries an x-correlation-id header.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, builder, { extraModels: [ErrorBodyDto] });
  describeAccessAndErrors(document);
  listErrorCodes(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  return document;
}

/** Adds to every operation who may call it and the errors it can answer with. */
function describeAccessAndErrors(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const access = (operation as unknown as Record<string, unknown>)[ACCESS_EXTENSION] as string | undefined;
      operation.description = [operation.description, `Access: ${access ?? 'nobody (undeclared)'}.`].filter(Boolean).join('\n\n');
      const responses = operation.responses;
      const takesInput = Boolean(operation.requestBody) || (operation.parameters?.length ?? 0) > 0;
      if (takesInput) responses['400'] ??= error('Invalid request: `details` lists each bad field.');
      if (access !== 'public') {
        responses['401'] ??= error('Missing, expired or invalid access token.');
        responses['403'] ??= error('Your role does not allow this action.');
      }
      if (path.includes('{id}')) responses['404'] ??= error('No such record, or not visible to you.');
      if (operation.requestBody) responses['415'] ??= error('The body is not JSON (Content-Type: application/json).');
      responses['500'] ??= error('Unexpected error; the body carries only the correlation id.');
      if (!path.startsWith('/api/v1/health')) responses['503'] ??= error('The database cannot be reached right now; retry after Retry-After seconds. Tokens stay valid.');
    }
  }
}

/** The error body's `code` is one of the catalogued codes (each module's *.errors.ts, clinical-refusals.ts). */
function listErrorCodes(document: OpenAPIObject): void {
  const errors = [...allCataloguedErrors()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
  const body = document.components?.schemas?.ErrorBodyDto as { properties: Record<string, { enum?: string[]; description?: string }> } | undefined;
  const code = body?.properties.code;
  if (!code) return;
  code.enum = [...new Set(errors.map((e) => e.code))];
  code.description = ['Stable code clients can rely on:', ...errors.map((e) => `- \`${e.code}\` (${e.status}): ${e.description}`)].join('\n');
}
