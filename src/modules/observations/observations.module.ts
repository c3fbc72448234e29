import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { ObservationsController } from './observations.controller.js';
import { ObservationsRepository } from './observations.repository.js';
import { ObservationsService } from './observations.service.js';

/** Withdrawal (COWS) and pain observations, with alerts during an active taper. */
@Module({
  imports: [AdmissionsModule, TaperOrdersModule],
  controllers: [ObservationsController],
  providers: [ObservationsService, ObservationsRepository],
  exports: [ObservationsRepository],
})
export class ObservationsModule {}
