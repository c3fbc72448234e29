import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/admissions.module.js';
import { TaperOrdersModule } from '../taper-orders/taper-orders.module.js';

/** Withdrawal (COWS) and pain observations, with alerts during an active taper. */
@Module({ imports: [AdmissionsModule, TaperOrdersModule], controllers: [], providers: [] })
export class ObservationsModule {}
