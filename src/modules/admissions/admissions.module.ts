import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/index.js';
import { IntakeModule } from '../intake/index.js';
import { PatientsModule } from '../patients/index.js';
import { TriageModule } from '../triage/index.js';
import { AdmissionsController } from './admissions.controller.js';
import { AdmissionsRepository } from './admissions.repository.js';
import { AdmissionsService } from './admissions.service.js';

@Module({
  imports: [EnquiriesModule, TriageModule, PatientsModule, IntakeModule],
  controllers: [AdmissionsController],
  providers: [AdmissionsService, AdmissionsRepository],
  // IntakeModule is re-exported: a module working on an admission reads its intake answers.
  exports: [AdmissionsRepository, IntakeModule, PatientsModule],
})
export class AdmissionsModule {}
