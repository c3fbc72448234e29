import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../http/uuid-param.pipe.js';

/**
 * Tokens of the form `<id>.<secret>` (refresh tokens, device tokens): the row is found by its id,
 * and only a SHA-256 of the secret is stored, compared in constant time.
 */
export interface SecretToken {
  id: string;
  /** What the client keeps: `<id>.<secret>`. */
  token: string;
  /** What the database keeps. */
  secretHash: Buffer;
}

export function newSecretToken(): SecretToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, secretHash: sha256(secret) };
}

/** The id and secret of a presented token, or null when it is not of that form. */
export function parseSecretToken(presented: string | undefined): { id: string; secret: string } | null {
  const [id, secret, ...rest] = (presented ?? '').split('.');
  return isUuid(id) && secret && rest.length === 0 ? { id, secret } : null;
}

export function secretMatches(secretHash: Buffer, secret: string): boolean {
  const presented = sha256(secret);
  return secretHash.length === presented.length && timingSafeEqual(secretHash, presented);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
