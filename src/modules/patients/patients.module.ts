import { Module } from '@nestjs/common';
import { PatientsRepository } from './patients.repository.js';

/** Patient identity, used by intake and admissions; no routes of its own yet. */
@Module({ providers: [PatientsRepository], exports: [PatientsRepository] })
export class PatientsModule {}
