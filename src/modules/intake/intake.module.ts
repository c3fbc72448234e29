import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/enquiries.module.js';
import { PatientsModule } from '../patients/patients.module.js';
import { IntakeController } from './intake.controller.js';
import { IntakeService } from './intake.service.js';

@Module({ imports: [EnquiriesModule, PatientsModule], controllers: [IntakeController], providers: [IntakeService], exports: [IntakeService] })
export class IntakeModule {}
