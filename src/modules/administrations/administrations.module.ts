import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { BillingModule } from '../billing/index.js';
import { IntakeModule } from '../intake/index.js';
import { ObservationsModule } from '../observations/index.js';
import { PainPlanModule } from '../pain-plan/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { UsersModule } from '../users/index.js';
import { AdministeredOrders } from './administered-order.js';
import { AdministrationHistoryRepository } from './administration-history.repository.js';
import { AdministrationsController } from './administrations.controller.js';
import { AdministrationsRepository } from './administrations.repository.js';
import { AdministrationsService } from './administrations.service.js';
import { NursesListService } from './nurses-list.service.js';

/** The medication administration record: every dose given, held, refused or omitted (domain.md §8a). */
@Module({
  imports: [AdmissionsModule, TaperOrdersModule, PainPlanModule, ObservationsModule, BillingModule, UsersModule, IntakeModule],
  controllers: [AdministrationsController],
  providers: [AdministrationsService, AdministeredOrders, AdministrationsRepository, AdministrationHistoryRepository, NursesListService],
  exports: [AdministrationsRepository, AdministrationHistoryRepository],
})
export class AdministrationsModule {}
