import { Module } from '@nestjs/common';
import { PatientsService } from './patients.service.js';

/** Patient identity, used by intake and admissions; no routes of its own yet. */
@Module({ providers: [PatientsService], exports: [PatientsService] })
export class PatientsModule {}
