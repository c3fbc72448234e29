/** Staff roles (api.md §Auth). A person may hold several. */
export const ROLES = ['admin', 'admissions', 'psychiatrist', 'nurse', 'billing', 'aftercare'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
