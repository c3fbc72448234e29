import { applyDecorators } from '@nestjs/common';
import { IsOptional as IsAbsentOrNull, ValidateBy, ValidateIf } from 'class-validator';

export const NOT_NULL_CONSTRAINT = 'isNotNull';

/**
 * An optional field: it may be left out, but an explicit `null` is refused (400, "must not be
 * null"). class-validator's own IsOptional skips every check for `null` too, so a `null` reached
 * the services as if it were a value: `{"password": null}` ended sessions and was audited as a
 * reset, `{"displayName": null}` hit the NOT NULL column. Request DTOs use this one (lint rule).
 */
export function IsOptional(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    ValidateBy({ name: NOT_NULL_CONSTRAINT, validator: { validate: (value: unknown) => value !== null, defaultMessage: () => 'must not be null' } }),
  );
}

/**
 * An optional field where `null` means the same as leaving it out (the service treats both
 * alike). Its OpenAPI property must say `nullable: true`: test/input-edges checks every field.
 */
export function IsNullable(): PropertyDecorator {
  return IsAbsentOrNull();
}
