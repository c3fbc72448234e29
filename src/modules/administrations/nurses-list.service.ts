import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { readDosesDue } from './doses-due-reader.js';
import type { DosesDueResponse } from './dto/doses-due.responses.js';

/** The nurses' list of a day: every order due on the ward, with what was given and what remains. */
@Injectable()
export class NursesListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async dueOn(date: string, context: RequestContext): Promise<DosesDueResponse> {
    const items = await readDosesDue((sql, parameters) => this.dataSource.query(sql, parameters), date, this.config.clinicTimeZone, this.clock.now());
    await this.audit.recordListRead(context, 'taper_doses', items.map((item) => item.patientId), { date });
    return { date, items };
  }
}
