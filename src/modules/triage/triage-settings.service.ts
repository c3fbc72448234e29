import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateThresholds } from '../../clinical/triage.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { type TriageSettingsRequest } from './dto/triage.requests.js';
import { toSettingsResponse, type TriageSettingsResponse } from './dto/triage.responses.js';
import { TriageRuleSetEntity } from './triage-rule-set.entity.js';
import { TriageRepository } from './triage.repository.js';

const SETTINGS_LOCK_KEY = 727_010;

/** The versioned triage thresholds. Each change is a new version; decisions keep the one they used. */
@Injectable()
export class TriageSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triage: TriageRepository,
    private readonly audit: AuditService,
  ) {}

  async current(): Promise<TriageSettingsResponse> {
    return toSettingsResponse(await this.triage.currentRuleSet(this.dataSource.manager));
  }

  async update(request: TriageSettingsRequest, context: SignedInContext): Promise<TriageSettingsResponse> {
    if (request.veryHighMme <= request.highDoseMme) {
      throw new ValidationFailed([{ field: 'veryHighMme', reason: 'must be greater than highDoseMme' }]);
    }
    const problems = validateThresholds(request);
    if (problems.length > 0) throw new ValidationFailed(problems.map((reason) => ({ field: '(body)', reason })));
    return this.dataSource.transaction(async (manager) => {
      // Two admins saving at once get versions n+1 and n+2, never the same number.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SETTINGS_LOCK_KEY]);
      const latest = await this.triage.currentRuleSet(manager);
      const next = manager.create(TriageRuleSetEntity, { ...request, version: latest.version + 1, createdBy: context.actor.id });
      await this.triage.insertRuleSet(manager, next);
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: 'triage_settings', resourceId: String(next.version), detail: { ...request, previousVersion: latest.version } },
        manager,
      );
      return toSettingsResponse(next);
    });
  }
}
