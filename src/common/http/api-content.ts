import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** An example request body: only fields of the request class, with their types. */
export type RequestExample<T> = { [K in keyof T]?: T[K] extends object ? unknown : T[K] };

/** A JSON request body with named examples a client can send as they are. */
export function ApiJsonBody<T>(type: Type<T>, examples: Record<string, { summary: string; value: RequestExample<T> }>): MethodDecorator {
  return ApiBody({ type, examples });
}

/** A 200 answer in the formats the Accept header (or a query) chooses; a PDF is bytes. */
export function ApiOkIn(description: string, formats: { json: Type; pdf?: boolean; fhir?: Type }): MethodDecorator & ClassDecorator {
  const content: Record<string, { schema: Record<string, unknown> }> = { 'application/json': { schema: { $ref: getSchemaPath(formats.json) } } };
  if (formats.pdf) content['application/pdf'] = { schema: { type: 'string', format: 'binary' } };
  if (formats.fhir) content['application/fhir+json'] = { schema: { $ref: getSchemaPath(formats.fhir) } };
  const models = formats.fhir ? [formats.json, formats.fhir] : [formats.json];
  return applyDecorators(ApiExtraModels(...models), ApiOkResponse({ description, content }));
}
