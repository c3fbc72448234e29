import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/admissions.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { ObservationsModule } from '../observations/observations.module.js';
import { PainPlanModule } from '../pain-plan/pain-plan.module.js';
import { PatientsModule } from '../patients/patients.module.js';
import { TaperOrdersModule } from '../taper-orders/taper-orders.module.js';
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
