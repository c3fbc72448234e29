/** What happened (api.md §Audit). */
export const AUDIT_ACTIONS = ['READ', 'CREATE', 'UPDATE', 'SIGN', 'EXPORT', 'LOGIN', 'LOGIN_FAILED', 'LOGOUT', 'REFRESH', 'ISSUE', 'VOID'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['SUCCESS', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One entry for the audit trail. `detail` holds small facts about the event (a reason code,
 * the fields changed); never names, dates of birth, doses, notes, passwords or tokens.
 */
export interface AuditEntry {
  action: AuditAction;
  resource: string;
  resourceId?: string | null;
  patientId?: string | null;
  outcome?: AuditOutcome;
  /** Overrides the actor of the request context (a failed login names the account tried). */
  actorId?: string | null;
  detail?: Record<string, string | number | boolean | string[] | null>;
}
