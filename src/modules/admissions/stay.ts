import type { ErrorDetail } from '../../common/errors/domain-error.js';
import type { AdmissionEntity } from './admission.entity.js';
import { ADMISSION_ERRORS } from './admissions.errors.js';

type Stay = Pick<AdmissionEntity, 'admittedOn' | 'dischargedOn'>;

export interface WithinStayOptions {
  /** A record that may be made after the stay ended (a consent to share). */
  afterDischargeAllowed?: boolean;
  /** The code to refuse with; DATE_OUTSIDE_STAY unless a module has its own (an invoice period). */
  refuse?: (message: string, details: ErrorDetail[]) => Error;
}

/** A date of a record of this stay lies between admission and discharge (both included); 422 naming the field otherwise. */
export function assertWithinStay(stay: Stay, date: string, field: string, options: WithinStayOptions = {}): void {
  const refuse = options.refuse ?? ADMISSION_ERRORS.DATE_OUTSIDE_STAY;
  if (date < stay.admittedOn) {
    throw refuse(`${date} lies before the stay, which began on ${stay.admittedOn}.`, [{ field, reason: `must not be before ${stay.admittedOn}` }]);
  }
  if (stay.dischargedOn && date > stay.dischargedOn && !options.afterDischargeAllowed) {
    throw refuse(`${date} lies after the stay, which ended on ${stay.dischargedOn}.`, [{ field, reason: `must not be after ${stay.dischargedOn}` }]);
  }
}
