import { calendarDate } from '../../common/clock.js';
import type { AssessmentEntity } from './assessment.entity.js';

/** The clinical date of an assessment; those recorded before the date was asked count their creation day. */
export function assessedOnOf(assessment: Pick<AssessmentEntity, 'input' | 'createdAt'>, timeZone: string): string {
  return assessment.input.assessedOn ?? calendarDate(assessment.createdAt, timeZone);
}
