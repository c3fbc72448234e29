import { Module } from '@nestjs/common';
import { EnquiriesModule } from '../enquiries/enquiries.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { TriageSettingsService } from './triage-settings.service.js';
import { TriageController } from './triage.controller.js';
import { TriageService } from './triage.service.js';

@Module({
  imports: [EnquiriesModule, IntakeModule],
  controllers: [TriageController],
  providers: [TriageService, TriageSettingsService],
  exports: [TriageService],
})
export class TriageModule {}
