import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { TaperAmendmentsService } from './taper-amendments.service.js';
import { TaperOrdersController } from './taper-orders.controller.js';
import { TaperOrdersRepository } from './taper-orders.repository.js';
import { TaperOrdersService } from './taper-orders.service.js';
import { TaperRegimenChecks } from './taper-regimen-checks.js';
import { TaperVersions } from './taper-versions.js';

@Module({
  imports: [AdmissionsModule],
  controllers: [TaperOrdersController],
  providers: [TaperOrdersService, TaperAmendmentsService, TaperOrdersRepository, TaperRegimenChecks, TaperVersions],
  exports: [TaperOrdersRepository],
})
export class TaperOrdersModule {}
