import type { ClinicContact } from '../../config/app-config.js';

/** Printed where the clinic's name or way of reaching it would go, when it has not been set: never a silent placeholder. */
export const CONTACT_NOT_CONFIGURED = 'clinic contact not configured';

/** The clinic's name as a document prints it. */
export function clinicName(clinic: ClinicContact): string {
  return clinic.name.trim() || `Clinic (${CONTACT_NOT_CONFIGURED})`;
}

/** How to reach the clinic ("tel …, email"), or the words saying it is not configured. */
export function clinicReach(clinic: ClinicContact): string {
  const ways = [clinic.phone && `tel ${clinic.phone}`, clinic.email].filter(Boolean);
  return ways.length > 0 ? ways.join(', ') : CONTACT_NOT_CONFIGURED;
}
