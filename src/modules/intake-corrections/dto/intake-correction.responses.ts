import { ApiProperty } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';
import { AssessmentResponse } from '../../intake/index.js';

/** The corrected assessment, and what the correction asks the psychiatrist to look at again. */
export class IntakeCorrectionResponse extends AssessmentResponse {
  @ApiProperty({
    type: [WarningDto],
    description:
      'Orders the corrected intake leaves above it or past a limit, to review (nothing is changed): ORDER_ABOVE_CORRECTED_INTAKE, MME_ABOVE_CORRECTED_INTAKE ' +
      '(taper orders in force today or later), ROTATION_OF_PRODUCT_NOT_IN_INTAKE (a rotation of a product the corrected intake no longer lists), PAIN_ORDER_OUTSIDE_LIMITS (an active pain-plan order past a kidney, liver or daily limit the correction brought in).',
  })
  ordersToReview: WarningDto[];
}
