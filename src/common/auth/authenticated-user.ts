import type { Role } from './role.js';

/** The staff member behind a request, as loaded from the database on every request. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** The session the request's access token belongs to (absent outside a request). */
  sessionId?: string;
}
