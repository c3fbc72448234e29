import pg from 'pg';

/** node-postgres's error when query_timeout passes without an answer. */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * A connection that is closed once a statement on it went unanswered for query_timeout.
 *
 * node-postgres rejects the statement but keeps the connection, with the statement still in
 * flight: the ROLLBACK queued behind it then times out too and is dropped, and the pool hands
 * the connection to the next request, whose statements and COMMIT would run inside the open
 * transaction of the one that gave up, committing its write after the client got a 503. Closed
 * instead, the pool discards it (pg-pool drops an ending client), the ROLLBACK fails at once,
 * and the server, once it reads again, ends the session and rolls its transaction back.
 */
export class ClosingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query as (...args: unknown[]) => unknown;
    const closeOnTimeout = (error: unknown) => {
      if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) void this.end().catch(() => undefined);
    };
    Object.defineProperty(this, 'query', {
      value: (...args: unknown[]): unknown => {
        const result = query.apply(this, args);
        // A branch of its own: the caller still gets the rejection through the promise returned.
        if (result instanceof Promise) result.catch(closeOnTimeout);
        return result;
      },
    });
  }
}
