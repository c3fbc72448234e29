import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { TaperDosesService } from './taper-doses.service.js';
import { TaperOrdersController } from './taper-orders.controller.js';
import { TaperOrdersRepository } from './taper-orders.repository.js';
import { TaperOrdersService } from './taper-orders.service.js';

@Module({
  imports: [AdmissionsModule],
  controllers: [TaperOrdersController],
  providers: [TaperOrdersService, TaperDosesService, TaperOrdersRepository],
  exports: [TaperOrdersRepository],
})
export class TaperOrdersModule {}
