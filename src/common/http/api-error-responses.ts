import type { OperationObject, ResponseObject } from '@nestjs/swagger';
import { allCataloguedErrors, type CataloguedError } from '../errors/error-catalogue.js';
import { ROUTE_ERRORS } from './route-errors.generated.js';

const ERROR_REF = { $ref: '#/components/schemas/ErrorBodyDto' };
const WRITES = new Set(['post', 'put', 'patch']);

export interface OperationFacts {
  /** The OpenAPI path, with `{param}` placeholders. */
  path: string;
  method: string;
  /** `public`, `any staff` or the roles, as the access decorators document it. */
  access: string | undefined;
}

/**
 * Documents every error status an operation can answer with: one response per status, whose
 * body is the error body with `code` limited to the codes of that status this route can give.
 * The codes are those its own code can throw (ROUTE_ERRORS, found by `npm run api:errors`)
 * and those of the layers every route goes through (see layerCodes).
 */
export function addErrorResponses(operation: OperationObject, facts: OperationFacts): void {
  const catalogue = new Map(allCataloguedErrors().map((error) => [error.code, error]));
  const key = operation.operationId?.replace('_', '.') ?? '';
  const codes = new Set([...(ROUTE_ERRORS[key] ?? []), ...layerCodes(operation, facts)]);
  const byStatus = new Map<number, CataloguedError[]>();
  for (const code of codes) {
    const error = catalogue.get(code);
    if (error) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  }
  for (const [status, errors] of [...byStatus].sort(([a], [b]) => a - b)) {
    // A response the controller documents itself (the health check's 503) is kept.
    operation.responses[String(status)] ??= errorResponse(errors.sort((a, b) => a.code.localeCompare(b.code)));
  }
}

/**
 * What the layers around the handler can answer, by rule: the validation pipe and the body
 * parser (400, 413, 415; a malformed path parameter, 400), the guard (401; 403 where roles are required), path parameters that
 * name a record (404) or are too long (414), a concurrent write or a constraint of the
 * database (409), and for every route an
 * unexpected error (500) or an unreachable database (503).
 */
function layerCodes(operation: OperationObject, facts: OperationFacts): string[] {
  const writes = WRITES.has(facts.method);
  const codes = ['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
  if (writes || (operation.parameters?.length ?? 0) > 0) codes.push('VALIDATION_FAILED');
  if (writes) codes.push('MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (facts.access !== 'public') codes.push('UNAUTHENTICATED');
  if (facts.access !== 'public' && facts.access !== 'any staff') codes.push('FORBIDDEN');
  // A path parameter with a broken percent-encoding (`/admissions/%E0%A4%A`) is refused by the router.
  if (facts.path.includes('{')) codes.push('VALIDATION_FAILED', 'MALFORMED_REQUEST', 'NOT_FOUND', 'URI_TOO_LONG');
  // A constraint of the database refuses a write that raced another (two equal prices at once).
  if (writes && facts.access !== 'public') codes.push('CONCURRENT_UPDATE', 'DUPLICATE', 'REFERENCE_CONFLICT');
  return codes;
}

function errorResponse(errors: CataloguedError[]): ResponseObject {
  const codes = errors.map((error) => error.code);
  return {
    description: errors.map((error) => `\`${error.code}\`: ${error.description}`).join('\n\n'),
    content: {
      'application/json': {
        schema: { allOf: [ERROR_REF, { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: codes } } }] },
      },
    },
  };
}
