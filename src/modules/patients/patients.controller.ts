import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { SearchPatientsQuery } from './dto/patient.requests.js';
import { PatientPage, PatientResponse } from './dto/patient.responses.js';
import { PatientsService } from './patients.service.js';

/** Everyone who works with patients finds them (api.md v1.1); admin does not read patient data. */
const FINDERS = ['admissions', 'psychiatrist', 'nurse', 'aftercare', 'billing'] as const;

@ApiTags('Patients')
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @Roles(...FINDERS)
  @ApiOperation({
    summary: 'Find patients by any part of a name, phone digits, email or hospital number, best matches first',
    description: 'Nurse, billing and aftercare search with at least 3 letters or digits (2 in Chinese, Japanese or Korean script), else 400 naming q; admissions and the psychiatrist from one.',
  })
  @ApiOkResponse({ type: PatientPage })
  search(@Query() query: SearchPatientsQuery, @Ctx() context: RequestContext): Promise<PatientPage> {
    return this.patients.search(query, context);
  }

  @Get(':id')
  @Roles(...FINDERS)
  @ApiOperation({ summary: 'A patient: identity, hospital number, contact details and stays' })
  @ApiOkResponse({ type: PatientResponse })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<PatientResponse> {
    return this.patients.get(id, context);
  }
}
