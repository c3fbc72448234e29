import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/admissions.module.js';
import { TaperDosesService } from './taper-doses.service.js';
import { TaperOrdersController } from './taper-orders.controller.js';
import { TaperOrdersService } from './taper-orders.service.js';

@Module({
  imports: [AdmissionsModule],
  controllers: [TaperOrdersController],
  providers: [TaperOrdersService, TaperDosesService],
  exports: [TaperOrdersService],
})
export class TaperOrdersModule {}
