import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { AsNeededOrdersService } from './as-needed-orders.service.js';
import { PainMedicationsService } from './pain-medications.service.js';
import { PainOrdersRepository } from './pain-orders.repository.js';
import { PainPatient } from './pain-patient.js';
import { PainPlanReview } from './pain-plan-review.js';
import { PainPlanController } from './pain-plan.controller.js';
import { PainPlanService } from './pain-plan.service.js';
import { PainTherapiesService } from './pain-therapies.service.js';

/** The non-opioid pain plan: medication orders with their safety checks, and non-drug therapies. */
@Module({
  imports: [AdmissionsModule, TaperOrdersModule],
  controllers: [PainPlanController],
  providers: [PainMedicationsService, AsNeededOrdersService, PainTherapiesService, PainPlanService, PainPatient, PainOrdersRepository, PainPlanReview],
  exports: [PainOrdersRepository, PainPlanReview],
})
export class PainPlanModule {}
