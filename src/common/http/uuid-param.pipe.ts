import { Injectable, type PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { ValidationFailed } from '../errors/common.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a database error. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw new ValidationFailed([{ field: metadata.data ?? 'id', reason: 'must be a UUID' }]);
    return value.toLowerCase();
  }
}
