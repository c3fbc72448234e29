import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject } from '@nestjs/swagger';
import { ACCESS_EXTENSION } from '../auth/access.decorators.js';
import { allCataloguedErrors } from '../errors/error-catalogue.js';
import { ErrorBodyDto } from '../errors/error-body.dto.js';
import { addErrorResponses } from './api-error-responses.js';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The OpenAPI document of the service: every route, its errors, who may call it. */
export function buildApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Clinic case-management API')
    .setDescription(
      'Admissions, taper, pain plan, billing and aftercare for a residential opioid-taper clinic. ' +
        'Sign in at POST /api/v1/auth/login and send the access token as `Authorization: Bearer <token>`. ' +
        'Every error has the ErrorBodyDto body; every response carries an x-correlation-id header.',
    )
    .setVersion('1')
    // Paths carry the /api/v1 prefix, so the server is the host the document was read from.
    .addServer('/', 'The server this document was served by')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  // The service is the clinic's own; no open licence applies.
  builder.info.license = { name: 'Proprietary' };
  const document = SwaggerModule.createDocument(app, builder, {
    extraModels: [ErrorBodyDto],
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  for (const [path, method, operation] of operationsOf(document)) {
    const access = (operation as unknown as Record<string, unknown>)[ACCESS_EXTENSION] as string | undefined;
    operation.description = [operation.description, `Access: ${access ?? 'nobody (undeclared)'}.`].filter(Boolean).join('\n\n');
    if (access === 'public') operation.security = [];
    addErrorResponses(operation, { path, method, access });
  }
  listErrorCodes(document);
  makeNullValid(document);
  return document;
}

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
export function setUpApiDocs(app: NestFastifyApplication): OpenAPIObject {
  const document = buildApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  return document;
}

function* operationsOf(document: OpenAPIObject): Generator<[string, (typeof HTTP_METHODS)[number], OperationObject]> {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) yield [path, method, operation];
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

type SchemaNode = Record<string, unknown>;

/**
 * OpenAPI 3.0 (as clarified in 3.0.3) reads `nullable` only as adding null to the `type` beside
 * it: beside an `allOf` of a reference, null still has to match the referenced object, and an
 * enum must list null itself. Nest writes both shapes for `nullable: true`, so a strict client
 * refused real answers (`replaces: null`, `band: null`). Here a nullable reference is inlined as
 * an object of its own with `nullable: true`, and null is added to a nullable enum.
 */
function makeNullValid(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaNode>;
  const inlined = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const schema = node as SchemaNode;
    if (schema.nullable === true) {
      const allOf = schema.allOf as SchemaNode[] | undefined;
      const ref = allOf?.length === 1 ? (allOf[0]!.$ref as string | undefined) : undefined;
      const target = ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined;
      if (target) {
        inlined.add(ref!.replace('#/components/schemas/', ''));
        delete schema.allOf;
        Object.assign(schema, structuredClone(target), { type: 'object', nullable: true, ...(schema.description ? { description: schema.description } : {}) });
      }
      // A copy: Nest shares one enum array between the properties of a type (pathway, currentPathway).
      const values = schema.enum as unknown[] | undefined;
      if (values && !values.includes(null)) schema.enum = [...values, null];
    }
    Object.values(schema).forEach(visit);
  };
  visit(schemas);
  visit(document.paths);
  // A type used only where it may be null now lives inline; its component would be left unused.
  const text = JSON.stringify(document);
  for (const name of inlined) if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
}
