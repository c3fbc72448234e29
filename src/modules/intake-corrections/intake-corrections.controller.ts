import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type SignedInContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { IntakeCorrectionRequest } from '../intake/index.js';
import { IntakeCorrectionResponse } from './dto/intake-correction.responses.js';
import { IntakeCorrectionsService } from './intake-corrections.service.js';

@ApiTags('Admissions')
@Controller()
export class IntakeCorrectionsController {
  constructor(private readonly corrections: IntakeCorrectionsService) {}

  @Post('admissions/:id/assessment')
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({
    summary: "Correct the intake of a patient in a stay: a new version of the admission's assessment, with the reason",
    description:
      'For what the intake missed or what was measured since (an opioid not recorded, a kidney function from the ward). The enquiry stays ADMITTED and the ' +
      'triage stands; orders drafted, signed or amended from now on are checked against this version, and the handoff prints it. Identity must match the record. ' +
      'Orders the correction leaves above the intake or past a limit are listed in ordersToReview, unchanged. A discharged stay → 409 ADMISSION_NOT_ACTIVE.',
  })
  @ApiCreatedResponse({ type: IntakeCorrectionResponse })
  correct(@Param('id', UuidParamPipe) id: string, @Body() body: IntakeCorrectionRequest, @Ctx() context: SignedInContext): Promise<IntakeCorrectionResponse> {
    return this.corrections.correct(id, body, context);
  }
}
