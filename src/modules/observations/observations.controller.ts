import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { OBSERVATION_EXAMPLES } from './dto/observation.examples.js';
import { ListObservationsQuery, RecordObservationRequest } from './dto/observation.requests.js';
import { ObservationPage, ObservationResponse } from './dto/observation.responses.js';
import { ObservationsService } from './observations.service.js';

@ApiTags('Observations')
@Controller()
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  @Post('admissions/:id/observations')
  @Roles('nurse', 'psychiatrist')
  @ApiOperation({ summary: 'Record a COWS (items; total and band computed) or a pain score; alerts during an active taper' })
  @ApiCreatedResponse({ type: ObservationResponse })
  @ApiJsonBody(RecordObservationRequest, OBSERVATION_EXAMPLES)
  record(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordObservationRequest,
    @Ctx() context: SignedInContext,
  ): Promise<ObservationResponse> {
    return this.observations.record(id, body, context);
  }

  @Get('admissions/:id/observations')
  @Roles('nurse', 'psychiatrist', 'aftercare')
  @ApiOperation({ summary: 'Observations of an admission, newest first, by type and time window (from inclusive, to exclusive)' })
  @ApiOkResponse({ type: ObservationPage })
  list(@Param('id', UuidParamPipe) id: string, @Query() query: ListObservationsQuery, @Ctx() context: RequestContext): Promise<ObservationPage> {
    return this.observations.list(id, query, context);
  }
}
