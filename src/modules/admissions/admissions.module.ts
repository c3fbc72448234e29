import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/enquiries.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { PatientsModule } from '../patients/patients.module.js';
import { TriageModule } from '../triage/triage.module.js';
import { AdmissionsController } from './admissions.controller.js';
import { AdmissionsService } from './admissions.service.js';

@Module({
  imports: [EnquiriesModule, TriageModule, PatientsModule, IntakeModule],
  controllers: [AdmissionsController],
  providers: [AdmissionsService],
  exports: [AdmissionsService],
})
export class AdmissionsModule {}
