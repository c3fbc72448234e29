import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Characters a name or a note never needs and that can make printed or displayed text lie:
 * control characters (C0, DEL, C1), the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069: "Trojan Source" reordering), the line and paragraph separators
 * and the byte-order mark. Joiners (U+200C, U+200D) stay allowed: several scripts need them.
 */
const UNSAFE_SINGLE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;
/** The same, but line feeds, carriage returns and tabs are part of a multi-line note. */
const UNSAFE_MULTI_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF](?<![\n\r\t])/u;

export const SAFE_TEXT_CONSTRAINT = 'isSafeText';

export function isSafeText(value: unknown, multiline = false): boolean {
  return typeof value !== 'string' || !(multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).test(value);
}

/**
 * Names and free text: refuses control characters and bidirectional overrides (400, the field
 * named). `multiline` lets line breaks and tabs through, for notes typed over several lines.
 */
export function IsSafeText(options: { multiline?: boolean } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const multiline = options.multiline ?? false;
  return ValidateBy(
    {
      name: SAFE_TEXT_CONSTRAINT,
      constraints: [multiline],
      validator: {
        validate: (value: unknown) => isSafeText(value, multiline),
        defaultMessage: () =>
          multiline
            ? 'must not contain control characters (other than line breaks and tabs) or bidirectional overrides'
            : 'must not contain control characters, line breaks or bidirectional overrides',
      },
    },
    validationOptions,
  );
}
