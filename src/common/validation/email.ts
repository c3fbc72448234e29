import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength, ValidateBy } from 'class-validator';
import { trim } from './transforms.js';

const MAX_EMAIL_LENGTH = 254;

/**
 * What an address never needs and that makes it display as another one: control and format
 * characters (bidirectional overrides and isolates, direction marks, zero-width spaces and
 * joiners, the byte-order mark, tag and interlinear annotation characters), separators (spaces,
 * line and paragraph separators), private-use characters and the blank Hangul letters.
 * IsEmail lets them through in the local part (UTF-8 is allowed there, RFC 6531); letters,
 * digits and marks of any script stay allowed.
 */
const UNSAFE_IN_EMAIL = /[\p{Cc}\p{Cf}\p{Z}\p{Co}\u115F\u1160\u3164\uFFA0]/u;

export const SAFE_EMAIL_CONSTRAINT = 'isSafeEmail';

function isSafeEmail(value: unknown): boolean {
  return typeof value !== 'string' || !UNSAFE_IN_EMAIL.test(value);
}

/**
 * Every email a request sets (a caller's, a patient's, an outside prescriber's, a staff
 * account's): trimmed, an address of at most 254 characters, and nothing invisible in it, so the
 * handoff, the FHIR document and the staff list print the address that is stored (400 otherwise).
 */
export const IsEmailAddress = (): PropertyDecorator =>
  applyDecorators(
    Transform(trim),
    IsEmail(),
    MaxLength(MAX_EMAIL_LENGTH),
    ValidateBy({
      name: SAFE_EMAIL_CONSTRAINT,
      validator: {
        validate: isSafeEmail,
        defaultMessage: () => 'must not contain control, invisible or formatting characters (zero-width, bidirectional) or spaces',
      },
    }),
  );
