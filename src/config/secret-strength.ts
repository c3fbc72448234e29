/**
 * How much a JWT_SECRET can be trusted to resist guessing, estimated from its characters alone:
 * the Shannon entropy of their distribution times the length. It cannot tell a random string
 * from a well-chosen sentence, but it does catch the usual mistakes (40 × "a", "changeme" repeated,
 * a word repeated to length).
 */
export const MIN_SECRET_LENGTH = 32;
// 64 random hex digits (the usual way to write 32 random bytes) often lack one of the 16 digits,
// and score about 220 bits; 32 random base64 characters score about 130; 32 hex digits about 115.
export const MIN_SECRET_DISTINCT_CHARACTERS = 10;
export const MIN_SECRET_ENTROPY_BITS = 100;

export function estimatedEntropyBits(secret: string): number {
  const characters = [...secret];
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    perCharacter -= p * Math.log2(p);
  }
  return perCharacter * characters.length;
}

/** Why a production secret is too weak, or null when it is strong enough. */
export function weakSecretReason(secret: string): string | null {
  const characters = [...secret];
  if (characters.length < MIN_SECRET_LENGTH) return `it has ${characters.length} characters; at least ${MIN_SECRET_LENGTH} are needed`;
  const distinct = new Set(characters).size;
  if (distinct < MIN_SECRET_DISTINCT_CHARACTERS) return `it uses ${distinct} different characters; at least ${MIN_SECRET_DISTINCT_CHARACTERS} are needed`;
  // A shorter string repeated ("0123456789abcdef" twice) is as weak as that string.
  if ((secret + secret).indexOf(secret, 1) < secret.length) return 'it is a shorter string repeated';
  const bits = Math.floor(estimatedEntropyBits(secret));
  if (bits < MIN_SECRET_ENTROPY_BITS) return `its estimated entropy is ${bits} bits; at least ${MIN_SECRET_ENTROPY_BITS} are needed`;
  return null;
}
