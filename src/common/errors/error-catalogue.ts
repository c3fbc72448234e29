import { DomainError, type ErrorDetail } from './domain-error.js';

/** The HTTP statuses a domain error may answer with (api.md, Conventions). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 409 | 413 | 414 | 415 | 422 | 429 | 500 | 503;

export interface ErrorSpec {
  status: ErrorStatus;
  /** What the code means, for the API documentation; also the message when the thrower gives none. */
  description: string;
}

/** One catalogued error: call it to make the error to throw. */
export interface CataloguedError<Code extends string = string> extends ErrorSpec {
  (message?: string, details?: ErrorDetail[], headers?: Record<string, string>): DomainError;
  readonly code: Code;
}

export type ErrorCatalogue<Codes extends string> = { readonly [Code in Codes]: CataloguedError<Code> };

const CATALOGUED = new Set<CataloguedError>();

/**
 * A module's error codes, each with its status and meaning: the one place a code is spelled.
 * `throw ADMISSION_ERRORS.ALREADY_ADMITTED('…')`. The API documentation reads every catalogue.
 */
export function defineErrors<const Specs extends Record<string, ErrorSpec>>(specs: Specs): ErrorCatalogue<keyof Specs & string> {
  const catalogue: Record<string, CataloguedError> = {};
  for (const [code, spec] of Object.entries(specs)) {
    const make = (message?: string, details?: ErrorDetail[], headers?: Record<string, string>) =>
      new DomainError(spec.status, code, message ?? spec.description, details, headers);
    const entry = Object.assign(make, { code, status: spec.status, description: spec.description }) as CataloguedError;
    CATALOGUED.add(entry);
    catalogue[code] = entry;
  }
  return Object.freeze(catalogue) as ErrorCatalogue<keyof Specs & string>;
}

/** Every catalogued error of the modules loaded so far. */
export function allCataloguedErrors(): readonly CataloguedError[] {
  return [...CATALOGUED];
}
