/**
 * Checks a JSON answer against the schema the OpenAPI document gives for it: every documented
 * property present (when required) with the documented type, enum and nullability, and no
 * property the document does not mention. Returns one line per mismatch, with its JSON path.
 */
export type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
};
export type OpenApiDocument = { components: { schemas: Record<string, Schema> } };

export function schemaMismatches(document: OpenApiDocument, schema: Schema, value: unknown, path = '$'): string[] {
  if (value === null) return acceptsNull(document, schema) ? [] : [`${path}: null, but not nullable`];
  const resolved = resolve(document, schema);
  // Read as "one of them fits", which is all either keyword promises here (undocumented properties are refused, so the options do not overlap).
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const options = resolved[keyword];
    if (options) return options.some((option) => schemaMismatches(document, option, value, path).length === 0) ? [] : [`${path}: matches none of ${keyword}`];
  }
  if (resolved.enum && !resolved.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`];
  switch (resolved.type) {
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => schemaMismatches(document, resolved.items ?? {}, item, `${path}[${i}]`)) : [`${path}: not an array`];
    case 'object':
      return objectMismatches(document, resolved, value, path);
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value === resolved.type ? [] : [`${path}: ${JSON.stringify(value)} is not a ${resolved.type}`];
    default:
      return resolved.properties ? objectMismatches(document, resolved, value, path) : [];
  }
}

function objectMismatches(document: OpenApiDocument, schema: Schema, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
  const properties = schema.properties;
  if (!properties) return [];
  const record = value as Record<string, unknown>;
  const missing = (schema.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key}: required, missing`);
  // An open object (additionalProperties) documents only some of its fields, such as a FHIR resource's type and id.
  const undocumented = schema.additionalProperties ? [] : Object.keys(record).filter((key) => !(key in properties)).map((key) => `${path}.${key}: not in the document`);
  const typed = Object.entries(properties).flatMap(([key, property]) => (key in record ? schemaMismatches(document, property, record[key], `${path}.${key}`) : []));
  return [...missing, ...undocumented, ...typed];
}

/**
 * Null as OpenAPI 3.0.3 reads it, as a strict validator (ajv) does: `nullable` adds null to the
 * `type` beside it only, an enum must list null itself, and every member of an allOf must take
 * null (a `nullable` beside an allOf of a reference does not make null valid).
 */
function acceptsNull(document: OpenApiDocument, schema: Schema): boolean {
  if (schema.$ref) return acceptsNull(document, referenced(document, schema.$ref));
  if (schema.enum && !schema.enum.includes(null)) return false;
  if (schema.allOf) return (schema.type === undefined || schema.nullable === true) && schema.allOf.every((member) => acceptsNull(document, member));
  if (schema.oneOf ?? schema.anyOf) return (schema.oneOf ?? schema.anyOf)!.some((member) => acceptsNull(document, member));
  return schema.nullable === true;
}

function referenced(document: OpenApiDocument, ref: string): Schema {
  return document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
}

/** The schema a $ref stands for; an allOf as one object with every member's properties (a later member narrows a property). */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(document, referenced(document, schema.$ref));
  if (schema.allOf?.length === 1) return { ...resolve(document, schema.allOf[0]!), nullable: schema.nullable };
  if (schema.allOf) {
    const members = schema.allOf.map((member) => resolve(document, member));
    return {
      type: 'object',
      properties: Object.assign({}, ...members.map((member) => member.properties ?? {})) as Record<string, Schema>,
      required: [...new Set(members.flatMap((member) => member.required ?? []))],
    };
  }
  return schema;
}

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
export type OpenApiPaths = { paths: Record<string, Record<string, Operation>> };

/** One JSON answer of the app, as the test app saw it leave. */
export interface RecordedResponse {
  method: string;
  /** The route as Fastify knows it (`/api/v1/admissions/:id`). */
  route: string;
  status: number;
  contentType: string;
  body: string;
}

/**
 * Mismatches between answers the app gave and the document: a status the operation does not
 * list, a JSON body that does not fit the schema of its status and media type. Answers of
 * routes the document does not describe (the docs themselves, test-only controllers, unknown
 * paths) are left out. One line per mismatch, deduplicated.
 */
export function responseMismatches(document: OpenApiDocument & OpenApiPaths, responses: RecordedResponse[]): string[] {
  const problems = new Set<string>();
  for (const response of responses) {
    const operation = document.paths[response.route.replace(/:([A-Za-z]+)/g, '{$1}')]?.[response.method.toLowerCase()];
    if (!operation?.responses) continue;
    const where = `${response.method} ${response.route} ${response.status}`;
    const documented = operation.responses[String(response.status)];
    if (!documented) {
      problems.add(`${where}: status not documented`);
      continue;
    }
    const mediaType = response.contentType.split(';')[0]!.trim();
    const schema = documented.content?.[mediaType]?.schema;
    if (!schema) {
      if (documented.content) problems.add(`${where}: ${mediaType} not documented`);
      continue;
    }
    for (const problem of schemaMismatches(document, schema, JSON.parse(response.body))) problems.add(`${where} ${problem}`);
  }
  return [...problems];
}
