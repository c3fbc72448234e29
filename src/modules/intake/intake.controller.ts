import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { ASSESSMENT_EXAMPLES } from './dto/assessment.examples.js';
import { AssessmentRequest } from './dto/assessment.requests.js';
import { AssessmentResponse, AssessmentVersions } from './dto/assessment.responses.js';
import { IntakeService } from './intake.service.js';

@ApiTags('Intake')
@Controller()
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post('enquiries/:id/assessment')
  @Roles('admissions')
  @ApiOperation({ summary: 'Record an intake assessment (a new version); computes MME, DSM-5 and hyperalgesia signs' })
  @ApiCreatedResponse({ type: AssessmentResponse })
  @ApiJsonBody(AssessmentRequest, ASSESSMENT_EXAMPLES)
  assess(@Param('id', UuidParamPipe) id: string, @Body() body: AssessmentRequest, @Ctx() context: SignedInContext): Promise<AssessmentResponse> {
    return this.intake.assess(id, body, context);
  }

  @Get('enquiries/:id/assessment')
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'The current assessment of an enquiry' })
  @ApiOkResponse({ type: AssessmentResponse })
  current(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<AssessmentResponse> {
    return this.intake.current(id, context);
  }

  @Get('enquiries/:id/assessments')
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'Every version of the assessment, oldest first' })
  @ApiOkResponse({ type: AssessmentVersions })
  async versions(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<AssessmentVersions> {
    return { items: await this.intake.versions(id, context) };
  }

  @Get('assessments/:id')
  @Roles('admissions', 'psychiatrist')
  @ApiOperation({ summary: 'One assessment version' })
  @ApiOkResponse({ type: AssessmentResponse })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<AssessmentResponse> {
    return this.intake.get(id, context);
  }
}
