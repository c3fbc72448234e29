import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { AsNeededOrdersService } from './as-needed-orders.service.js';
import { OrderAsNeededRequest } from './dto/as-needed.requests.js';
import { AsNeededOrderResponse } from './dto/as-needed.responses.js';
import { AS_NEEDED_EXAMPLES, MEDICATION_EXAMPLES } from './dto/pain-plan.examples.js';
import { AddTherapyRequest, DiscontinueMedicationRequest, OrderMedicationRequest } from './dto/pain-plan.requests.js';
import { PainMedicationResponse, PainPlanResponse, PainTherapyResponse } from './dto/pain-plan.responses.js';
import { PainMedicationsService } from './pain-medications.service.js';
import { PainPlanService } from './pain-plan.service.js';
import { PainTherapiesService } from './pain-therapies.service.js';

@ApiTags('Pain plan')
@Controller()
export class PainPlanController {
  constructor(
    private readonly medications: PainMedicationsService,
    private readonly asNeeded: AsNeededOrdersService,
    private readonly therapies: PainTherapiesService,
    private readonly plans: PainPlanService,
  ) {}

  @Post('admissions/:id/pain-plan/medications')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Order a non-opioid pain medication, checked against the daily limits, NSAID rules and contraindications (domain.md §9)' })
  @ApiCreatedResponse({ type: PainMedicationResponse })
  @ApiJsonBody(OrderMedicationRequest, MEDICATION_EXAMPLES)
  order(@Param('id', UuidParamPipe) id: string, @Body() body: OrderMedicationRequest, @Ctx() context: SignedInContext): Promise<PainMedicationResponse> {
    return this.medications.order(id, body, context);
  }

  @Post('pain-plan/medications/:id/discontinue')
  @HttpCode(200)
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Discontinue an active medication order, with the reason' })
  @ApiOkResponse({ type: PainMedicationResponse })
  discontinue(@Param('id', UuidParamPipe) id: string, @Body() body: DiscontinueMedicationRequest, @Ctx() context: SignedInContext): Promise<PainMedicationResponse> {
    return this.medications.discontinue(id, body, context);
  }

  @Post('admissions/:id/as-needed-orders')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Order a medicine as needed (withdrawal symptoms or pain): dose, minimum interval, most a day, indication, optional COWS threshold' })
  @ApiCreatedResponse({ type: AsNeededOrderResponse })
  @ApiJsonBody(OrderAsNeededRequest, AS_NEEDED_EXAMPLES)
  orderAsNeeded(@Param('id', UuidParamPipe) id: string, @Body() body: OrderAsNeededRequest, @Ctx() context: SignedInContext): Promise<AsNeededOrderResponse> {
    return this.asNeeded.order(id, body, context);
  }

  @Post('as-needed-orders/:id/discontinue')
  @HttpCode(200)
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Discontinue an as-needed order, with the reason' })
  @ApiOkResponse({ type: AsNeededOrderResponse })
  discontinueAsNeeded(@Param('id', UuidParamPipe) id: string, @Body() body: DiscontinueMedicationRequest, @Ctx() context: SignedInContext): Promise<AsNeededOrderResponse> {
    return this.asNeeded.discontinue(id, body, context);
  }

  @Post('admissions/:id/pain-plan/therapies')
  @Roles('psychiatrist')
  @ApiOperation({ summary: 'Add a non-drug part of the pain plan (physiotherapy, movement, sleep, CBT, acceptance-based therapy, interventional)' })
  @ApiCreatedResponse({ type: PainTherapyResponse })
  addTherapy(@Param('id', UuidParamPipe) id: string, @Body() body: AddTherapyRequest, @Ctx() context: SignedInContext): Promise<PainTherapyResponse> {
    return this.therapies.add(id, body, context);
  }

  @Get('admissions/:id/pain-plan')
  @Roles('psychiatrist', 'nurse', 'aftercare')
  @ApiOperation({ summary: 'The pain plan of an admission: medications and as-needed orders (active first, then discontinued) and therapies' })
  @ApiOkResponse({ type: PainPlanResponse })
  plan(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<PainPlanResponse> {
    return this.plans.plan(id, context);
  }
}
