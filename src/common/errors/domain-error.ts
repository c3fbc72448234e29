/** One bad field of a request, as listed in an error body's `details`. */
export interface ErrorDetail {
  field: string;
  reason: string;
  /** When the details list refusals (422): which rule, and whether an override reason would let it through. */
  code?: string;
  overridable?: boolean;
}

/**
 * An error the domain raises on purpose, with a stable `code` clients can rely on. The global
 * filter turns it into the error body of the API; domain code never builds HTTP responses.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, such as Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
