import { Module } from '@nestjs/common';
import { AdministrationsModule } from '../administrations/index.js';
import { HandoffController } from './handoff.controller.js';
import { HandoffService } from './handoff.service.js';

/**
 * The handoff summary for the outside prescriber (domain.md §11) as JSON, PDF and FHIR. It reads
 * the whole stay in one snapshot with plain SQL (handoff-reader.ts); the administration record's
 * query is the administrations module's own (AdministrationHistoryRepository).
 */
@Module({ imports: [AdministrationsModule], controllers: [HandoffController], providers: [HandoffService] })
export class HandoffModule {}
