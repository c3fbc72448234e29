import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Characters a name or a note never needs and that can make printed or displayed text lie:
 * control characters (C0, DEL, C1), the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069: "Trojan Source" reordering), the line and paragraph separators,
 * the byte-order mark, the interlinear annotation characters (U+FFF9–U+FFFB) and the tag
 * characters (U+E0000–U+E007F: invisible, they can carry hidden ASCII text; emoji flags of a
 * region use them, which names and notes do without). Joiners (U+200C, U+200D) stay allowed:
 * several scripts need them.
 */
const UNSAFE_SINGLE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u;
/** The same, but line feeds, carriage returns and tabs are part of a multi-line note. */
const UNSAFE_MULTI_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}](?<![\n\r\t])/u;

/**
 * What shows nothing on its own: white space, format characters (zero-width space, joiners,
 * direction marks, word joiner), combining marks without a base and the Hangul and Braille
 * blanks. A name made only of these looks empty on every screen and printout.
 */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/u;

export const SAFE_TEXT_CONSTRAINT = 'isSafeText';

export function isSafeText(value: unknown, multiline = false): boolean {
  return typeof value !== 'string' || (!(multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).test(value) && !isInvisible(value));
}

/** Text that is not empty but has no visible character. */
function isInvisible(value: string): boolean {
  return value.length > 0 && !VISIBLE.test(value);
}

/**
 * Names and free text: refuses control characters and bidirectional overrides, and text with
 * no visible character (400, the field named). `multiline` lets line breaks and tabs through, for notes typed over several lines.
 */
export function IsSafeText(options: { multiline?: boolean } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const multiline = options.multiline ?? false;
  return ValidateBy(
    {
      name: SAFE_TEXT_CONSTRAINT,
      constraints: [multiline],
      validator: {
        validate: (value: unknown) => isSafeText(value, multiline),
        defaultMessage: (args) =>
          typeof args?.value === 'string' && isInvisible(args.value)
            ? 'must contain a visible character'
            : multiline
            ? 'must not contain control characters (other than line breaks and tabs) or bidirectional overrides'
            : 'must not contain control characters, line breaks or bidirectional overrides',
      },
    },
    validationOptions,
  );
}
