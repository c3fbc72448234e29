import { Module } from '@nestjs/common';
import { PatientsController } from './patients.controller.js';
import { PatientsRepository } from './patients.repository.js';
import { PatientsService } from './patients.service.js';

/** Patient identity: found and read here; created and corrected by intake, read by admissions, billing and the handoff. */
@Module({ controllers: [PatientsController], providers: [PatientsService, PatientsRepository], exports: [PatientsRepository] })
export class PatientsModule {}
