import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { type ErrorDetail } from './domain-error.js';
import { ValidationFailed } from './common.errors.js';
import { NOT_NULL_CONSTRAINT } from '../validation/optional.js';

/**
 * Validates request DTOs: unknown fields are refused, every bad field is listed once in
 * `details` with its dotted path (`patient.dateOfBirth`), and a body that is not a JSON object is a 400.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // Values are kept only to tell "missing" from "wrong"; they never reach the response.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new ValidationFailed(flattenErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (value === undefined || value === null) value = {};
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationFailed([{ field: '(body)', reason: 'must be a JSON object' }]);
      }
    }
    const unsafe = unsafeFields(value);
    if (unsafe.length > 0) throw new ValidationFailed(unsafe);
    return super.transform(value, metadata);
  }
}

/** Keys the object mapper silently drops, so "unknown fields are refused" would not hold for them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Far deeper than any request of the API. A 1 MB body can nest 500,000 levels; walking that
 * (here, then in class-transformer) overflowed the stack, a 500.
 */
const MAX_DEPTH = 32;

/** A UTF-16 surrogate without its pair (JSON can escape one: "\ud800"); with the u flag a well-formed pair is one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * What class-validator cannot see: reserved keys (dropped on the way in), NUL characters
 * (PostgreSQL cannot store U+0000), lone surrogates (not Unicode text: IsEmail threw on them, a
 * 500, and the database would have stored U+FFFD instead) and absurd nesting, each named by its
 * path instead of failing later.
 */
function unsafeFields(value: unknown, path = '', depth = 0): ErrorDetail[] {
  if (typeof value === 'string') return textProblems(value, path || '(value)');
  if (!value || typeof value !== 'object') return [];
  if (depth >= MAX_DEPTH) return [{ field: path || '(body)', reason: `must not nest more than ${MAX_DEPTH} levels deep` }];
  if (Array.isArray(value)) return value.flatMap((item, i) => unsafeFields(item, `${path}[${i}]`, depth + 1));
  return Object.keys(value).flatMap((key) => {
    const field = path ? `${path}.${key}` : key;
    if (RESERVED_KEYS.has(key)) return [{ field, reason: `property ${key} should not exist` }];
    return unsafeFields((value as Record<string, unknown>)[key], field, depth + 1);
  });
}

function textProblems(text: string, field: string): ErrorDetail[] {
  if (text.includes('\u0000')) return [{ field, reason: 'must not contain NUL characters' }];
  if (LONE_SURROGATE.test(text)) return [{ field, reason: 'must be valid Unicode text (it has an unpaired surrogate)' }];
  return [];
}

/** The type checks say most about a wrong value; they are reported before range or format rules. */
const TYPE_CONSTRAINTS = [NOT_NULL_CONSTRAINT, 'isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'nestedValidation', 'isUuid', 'isEmail', 'isIn', 'isEnum', 'isIso8601', 'isDateString', 'isCalendarDate'];

export function flattenErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, reason: reasonFor(error) }] : [];
    return [...own, ...flattenErrors(error.children ?? [], field)];
  });
}

function reasonFor(error: ValidationError): string {
  if (error.value === undefined && !error.constraints?.whitelistValidation) return 'is required';
  const constraints = error.constraints ?? {};
  const key = TYPE_CONSTRAINTS.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  const message = key ? (constraints[key] ?? 'is invalid') : 'is invalid';
  // class-validator says "email must be an email"; the field is already named beside it.
  return message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
}
