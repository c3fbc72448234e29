import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/admissions.module.js';
import { TaperOrdersModule } from '../taper-orders/taper-orders.module.js';
import { PainMedicationsService } from './pain-medications.service.js';
import { PainPlanController } from './pain-plan.controller.js';
import { PainPlanService } from './pain-plan.service.js';
import { PainTherapiesService } from './pain-therapies.service.js';

/** The non-opioid pain plan: medication orders with their safety checks, and non-drug therapies. */
@Module({
  imports: [AdmissionsModule, TaperOrdersModule],
  controllers: [PainPlanController],
  providers: [PainMedicationsService, PainTherapiesService, PainPlanService],
  exports: [PainPlanService],
})
export class PainPlanModule {}
