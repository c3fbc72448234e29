import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { Role } from '../auth/role.js';

/**
 * Who works the registers (enquiries, patients) and who only finds someone in them (api.md v1.1:
 * a nurse answering the phone at night finds the caller, she does not read the register).
 * Admissions and the psychiatrist browse; the finders search with enough text to find one person.
 */
export const REGISTER_ROLES: [Role, ...Role[]] = ['admissions', 'psychiatrist'];
export const FINDER_ROLES: [Role, ...Role[]] = ['nurse', 'aftercare', 'billing'];

export function worksTheRegister(actor: AuthenticatedUser | null): boolean {
  return actor !== null && REGISTER_ROLES.some((role) => actor.roles.includes(role));
}

/** Letters and digits a finder types, at least: fewer would list a good part of the register. */
const FINDER_MIN_SEARCH_CHARACTERS = 3;
/** In Chinese, Japanese or Korean script, where two characters are a whole given name or more. */
const FINDER_MIN_SEARCH_CHARACTERS_CJK = 2;

const COUNTED = /[\p{L}\p{N}]/gu;
const CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Why a finder's search text is too short to find one person, or null. Spaces and punctuation do not count. */
export function finderSearchProblem(q: string): string | null {
  const counted = q.match(COUNTED)?.length ?? 0;
  const needed = CJK.test(q) ? FINDER_MIN_SEARCH_CHARACTERS_CJK : FINDER_MIN_SEARCH_CHARACTERS;
  if (counted >= needed) return null;
  return (
    `must have at least ${FINDER_MIN_SEARCH_CHARACTERS} letters or digits (${FINDER_MIN_SEARCH_CHARACTERS_CJK} in Chinese, Japanese or Korean script): ` +
    'the register is browsed by admissions and the psychiatrist only'
  );
}
