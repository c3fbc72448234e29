import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { OverrideRequest, TriageSettingsRequest } from './dto/triage.requests.js';
import { TriageDecisionResponse, TriageHistoryResponse, TriageSettingsResponse } from './dto/triage.responses.js';
import { TriageSettingsService } from './triage-settings.service.js';
import { TriageService } from './triage.service.js';
import { NoBody, NoBodyAccepted } from '../../common/http/no-body.js';


@ApiTags('Triage')
@Controller()
export class TriageController {
  constructor(
    private readonly triage: TriageService,
    private readonly settings: TriageSettingsService,
  ) {}

  @Post('enquiries/:id/triage')
  @Roles('admissions')
  @ApiOperation({ summary: 'Triage an assessed enquiry by the current rules; lists every rule that fired' })
  @ApiCreatedResponse({ type: TriageDecisionResponse })
  @NoBodyAccepted()
  decide(@Param('id', UuidParamPipe) id: string, @Body() _none: NoBody, @Ctx() context: SignedInContext): Promise<TriageDecisionResponse> {
    return this.triage.decide(id, context);
  }

  @Get('enquiries/:id/triage')
  @Roles('admissions', 'psychiatrist', 'admin')
  @ApiOperation({ summary: 'Every triage decision of an enquiry, overrides included' })
  @ApiOkResponse({ type: TriageHistoryResponse })
  history(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<TriageHistoryResponse> {
    return this.triage.history(id, context);
  }

  @Post('triage/:id/override')
  @Roles('psychiatrist', 'admin')
  @ApiOperation({ summary: 'Override the current decision with a written reason; both stay on record' })
  @ApiCreatedResponse({ type: TriageDecisionResponse })
  override(@Param('id', UuidParamPipe) id: string, @Body() body: OverrideRequest, @Ctx() context: SignedInContext): Promise<TriageDecisionResponse> {
    return this.triage.override(id, body, context);
  }

  @Get('settings/triage')
  @Roles('admin')
  @ApiOperation({ summary: 'The triage thresholds in force' })
  @ApiOkResponse({ type: TriageSettingsResponse })
  currentSettings(): Promise<TriageSettingsResponse> {
    return this.settings.current();
  }

  @Put('settings/triage')
  @Roles('admin')
  @ApiOperation({ summary: 'New triage thresholds (a new rule-set version; earlier decisions keep theirs)' })
  @ApiOkResponse({ type: TriageSettingsResponse })
  updateSettings(@Body() body: TriageSettingsRequest, @Ctx() context: SignedInContext): Promise<TriageSettingsResponse> {
    return this.settings.update(body, context);
  }
}
