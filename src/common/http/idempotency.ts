import { createHash } from 'node:crypto';
import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** 1–200 printable ASCII characters without spaces: safe in logs, URLs and unique indexes. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The client's key for one intended write: a retry with it finds the first result. */
export function IsIdempotencyKey(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(IDEMPOTENCY_KEY, { message: 'must be 1–200 printable characters without spaces' }));
}

/** Stable over key order, so the same request retried always hashes the same. */
export function requestHash(request: object): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(canonical).digest('hex');
}
