import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { IntakeModule } from '../intake/index.js';
import { ObservationsModule } from '../observations/index.js';
import { PainPlanModule } from '../pain-plan/index.js';
import { PatientsModule } from '../patients/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { AftercareController } from './aftercare.controller.js';
import { AftercareService } from './aftercare.service.js';
import { DischargeService } from './discharge.service.js';
import { HandoffService } from './handoff.service.js';

/** Discharge, consent to share, the handoff summary and the aftercare check-ins (domain.md §11). */
@Module({
  imports: [AdmissionsModule, PatientsModule, IntakeModule, TaperOrdersModule, ObservationsModule, PainPlanModule],
  controllers: [AftercareController],
  providers: [DischargeService, AftercareService, HandoffService],
})
export class AftercareModule {}
