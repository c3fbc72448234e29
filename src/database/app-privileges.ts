/**
 * What the application's database role may do, table by table: exactly what the service does,
 * read from its code. Every table may be read (SELECT). INSERT where the service creates rows;
 * UPDATE only on the columns it changes (a record's state, never its clinical content after the
 * fact); DELETE only where the service deletes (throttling rows and lapsed device tokens). The
 * service never deletes clinical, billing or audit data, and now the database refuses it too.
 *
 * A table missing here gets no rights at all, and the least-privilege test fails until it is
 * listed: whoever adds a table decides what the service may do with it.
 */
export interface TablePrivileges {
  insert: boolean;
  /** Columns the service updates (a row lock, SELECT … FOR UPDATE, needs at least one). */
  update: readonly string[];
  delete: boolean;
}

const READ_ONLY: TablePrivileges = { insert: false, update: [], delete: false };
const APPEND_ONLY: TablePrivileges = { insert: true, update: [], delete: false };

export const APP_PRIVILEGES: Readonly<Record<string, TablePrivileges>> = {
  // Migrations are the owner's; the service only checks what has been applied.
  schema_migrations: READ_ONLY,

  // Staff, sessions, sign-in
  users: { insert: true, update: ['display_name', 'roles', 'active', 'password_hash', 'updated_at'], delete: false },
  refresh_tokens: { insert: true, update: ['used_at', 'revoked_at'], delete: false },
  sessions: { insert: true, update: ['ended_at', 'end_reason'], delete: false },
  // Failures older than the window are pruned; a device that signs in is forgiven its own.
  login_failures: { insert: true, update: [], delete: true },
  // Lapsed device tokens of an account are removed when it gets a new one.
  login_devices: { insert: true, update: ['last_used_at'], delete: true },

  // The audit trail: appended to; sealed only through the owner's audit_seal().
  audit_events: APPEND_ONLY,
  audit_chain_head: READ_ONLY,

  // Intake, triage, admission
  patients: { insert: true, update: ['given_name', 'family_name', 'date_of_birth', 'sex', 'phone', 'email', 'updated_at'], delete: false },
  enquiries: { insert: true, update: ['status', 'patient_id', 'status_reason', 'updated_at'], delete: false },
  assessments: APPEND_ONLY,
  triage_rule_sets: APPEND_ONLY,
  triage_decisions: APPEND_ONLY,
  admissions: { insert: true, update: ['status', 'discharged_on', 'updated_at'], delete: false },

  // Orders and observations: a signed order is superseded by a new version, never edited.
  taper_orders: { insert: true, update: ['status', 'signed_by', 'signed_at', 'superseded_from'], delete: false },
  taper_steps: APPEND_ONLY,
  observations: APPEND_ONLY,
  pain_medications: { insert: true, update: ['status', 'discontinued_at', 'discontinued_by', 'discontinue_reason'], delete: false },
  pain_therapies: APPEND_ONLY,
  as_needed_orders: { insert: true, update: ['status', 'discontinued_at', 'discontinued_by', 'discontinue_reason'], delete: false },
  // The administration record: a mistaken entry is voided with a reason, never edited or removed.
  administrations: { insert: true, update: ['voided_at', 'voided_by', 'void_reason'], delete: false },

  // Billing: the catalogue is the migration's; prices are added, never changed.
  billing_items: READ_ONLY,
  prices: APPEND_ONLY,
  // A payment, a charge, a dispensation or a consult entered by mistake is voided with a reason, never edited or removed.
  charges: { insert: true, update: ['voided_at', 'voided_by', 'void_reason'], delete: false },
  dispensations: { insert: true, update: ['voided_at', 'voided_by', 'void_reason'], delete: false },
  psych_consults: { insert: true, update: ['voided_at', 'voided_by', 'void_reason'], delete: false },
  invoice_counters: { insert: true, update: ['last_sequence'], delete: false },
  invoices: { insert: true, update: ['status', 'number', 'year', 'sequence', 'issued_at', 'issued_by', 'paid_minor', 'void_reason', 'voided_at'], delete: false },
  // A void releases the lines and days of its invoice; nothing else about them changes.
  invoice_lines: { insert: true, update: ['live'], delete: false },
  invoiced_days: { insert: true, update: ['live'], delete: false },
  payments: { insert: true, update: ['voided_at', 'voided_by', 'void_reason'], delete: false },

  // Discharge and aftercare
  discharges: APPEND_ONLY,
  share_consents: APPEND_ONLY,
  aftercare_check_ins: { insert: true, update: ['status', 'notes', 'updated_by', 'updated_at'], delete: false },
};
