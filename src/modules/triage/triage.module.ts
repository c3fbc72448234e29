import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/index.js';
import { IntakeModule } from '../intake/index.js';
import { TriageSettingsService } from './triage-settings.service.js';
import { TriageController } from './triage.controller.js';
import { TriageRepository } from './triage.repository.js';
import { TriageService } from './triage.service.js';

@Module({
  imports: [EnquiriesModule, IntakeModule],
  controllers: [TriageController],
  providers: [TriageService, TriageSettingsService, TriageRepository],
  exports: [TriageRepository],
})
export class TriageModule {}
