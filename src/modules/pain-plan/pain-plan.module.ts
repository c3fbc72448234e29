import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/admissions.module.js';
import { TaperOrdersModule } from '../taper-orders/taper-orders.module.js';

/** The non-opioid pain plan: medication orders with their safety checks, and non-drug therapies. */
@Module({ imports: [AdmissionsModule, TaperOrdersModule], controllers: [], providers: [] })
export class PainPlanModule {}
