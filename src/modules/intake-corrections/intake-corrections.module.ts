import { Module } from '@nestjs/common';
import { AdmissionsModule } from '../admissions/index.js';
import { PainPlanModule } from '../pain-plan/index.js';
import { TaperOrdersModule } from '../taper-orders/index.js';
import { IntakeCorrectionsController } from './intake-corrections.controller.js';
import { IntakeCorrectionsService } from './intake-corrections.service.js';

/** Corrections of an admitted patient's intake, with the orders they leave to review: above the admissions, taper-order and pain-plan modules it reads. */
@Module({ imports: [AdmissionsModule, TaperOrdersModule, PainPlanModule], controllers: [IntakeCorrectionsController], providers: [IntakeCorrectionsService] })
export class IntakeCorrectionsModule {}
