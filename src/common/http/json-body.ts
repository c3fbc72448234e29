import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COMMON_ERRORS } from '../errors/common.errors.js';
import type { ErrorDetail } from '../errors/domain-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Request bodies are JSON and nothing else (api.md v1.1): every other content type, form-encoded
 * and text/plain included, is a 415 from Fastify. The JSON must be UTF-8 (a byte that is not is
 * a 400, never a U+FFFD stored in its place) and may not name one key twice in an object: JSON.parse
 * keeps the last one, after validation may have judged another client's reading of the first.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/json\s*(;\s*charset=("?)utf-8\2\s*)?$/i, { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      return done(COMMON_ERRORS.MALFORMED_REQUEST('The request body is not valid UTF-8.', [{ field: '(body)', reason: 'must be UTF-8 text' }]), undefined);
    }
    parseJson(request, text, (error, parsed) => {
      if (error) return done(error, undefined);
      const duplicates = duplicateKeys(text);
      if (duplicates.length > 0) return done(COMMON_ERRORS.MALFORMED_REQUEST('The request body names a key twice.', duplicates), undefined);
      done(null, parsed);
    });
  });
}

/**
 * The keys that appear twice in one object, by path. Runs on text JSON.parse accepted, so it only
 * follows strings, objects and arrays; a key is compared as decoded ("a" and "\u0061" are one key).
 */
export function duplicateKeys(json: string): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const frames: { path: string; keys: Set<string> | null; index: number }[] = [];
  let pendingKey: string | null = null;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      const end = endOfString(json, i);
      const frame = frames.at(-1);
      if (frame?.keys && isKeyPosition(json, end)) {
        const key = decodeString(json.slice(i, end + 1));
        if (frame.keys.has(key)) found.push({ field: join(frame.path, key), reason: 'is given more than once' });
        frame.keys.add(key);
        pendingKey = key;
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const parent = frames.at(-1);
      const path = parent ? (parent.keys ? join(parent.path, pendingKey ?? '') : `${parent.path}[${parent.index}]`) : '';
      frames.push({ path, keys: c === '{' ? new Set() : null, index: 0 });
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const frame = frames.at(-1);
      if (frame && !frame.keys) frame.index++;
    }
    i++;
  }
  return found;
}

function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i;
}

/** A string is a key when the next character that is not white space is a colon. */
function isKeyPosition(json: string, end: number): boolean {
  let i = end + 1;
  while (json[i] === ' ' || json[i] === '\n' || json[i] === '\r' || json[i] === '\t') i++;
  return json[i] === ':';
}

function decodeString(literal: string): string {
  return literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
