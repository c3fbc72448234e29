import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { AftercareController } from './aftercare.controller.js';
import { AftercareService } from './aftercare.service.js';
import { DischargeService } from './discharge.service.js';

/** Discharge, consent to share and the two months of aftercare check-ins (domain.md §11). */
@Module({
  imports: [AdmissionsModule, TaperOrdersModule],
  controllers: [AftercareController],
  providers: [DischargeService, AftercareService],
})
export class AftercareModule {}
