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
  additionalProperties?: boolean | Schema;
};
export type OpenApiDocument = { components: { schemas: Record<string, Schema> } };

export function schemaMismatches(document: OpenApiDocument, schema: Schema, value: unknown, path = '$'): string[] {
  const resolved = resolve(document, schema);
  if (value === null) return resolved.nullable ? [] : [`${path}: null, but not nullable`];
  if (resolved.oneOf) return resolved.oneOf.some((option) => schemaMismatches(document, option, value, path).length === 0) ? [] : [`${path}: matches none of oneOf`];
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

/** The schema a $ref (or a single allOf around one) stands for. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {});
  if (schema.allOf?.length === 1) return { ...resolve(document, schema.allOf[0]!), nullable: schema.nullable };
  return schema;
}
