import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/index.js';
import { PatientsModule } from '../patients/index.js';
import { IntakeController } from './intake.controller.js';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';

@Module({ imports: [EnquiriesModule, PatientsModule], controllers: [IntakeController], providers: [IntakeService, IntakeRepository], exports: [IntakeRepository, IntakeService] })
export class IntakeModule {}
