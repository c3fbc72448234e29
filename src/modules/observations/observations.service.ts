import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cowsAlerts } from '../../clinical/cows.js';
import { taperStateOn } from '../../clinical/taper.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { calendarDate, Clock } from '../../common/clock.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { decodeInstantPositionCursor, instantPositionKey, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository, assertWithinStay } from '../admissions/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import type { ListObservationsQuery, RecordObservationRequest } from './dto/observation.requests.js';
import { toObservationResponse, type ObservationResponse } from './dto/observation.responses.js';
import { checkObservation } from './observation-rules.js';
import { ObservationEntity } from './observation.entity.js';

const RESOURCE = 'observation';

/** Withdrawal (COWS) and pain observations of an admission, and the alerts an active taper raises. */
@Injectable()
export class ObservationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly taperOrders: TaperOrdersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records an observation. A discharged admission is accepted too: staff enter records after
   * the fact. Alerts follow domain.md §8: moderately severe or worse withdrawal always raises one;
   * moderate withdrawal raises one too, worded by whether a taper was in force on the reading's day.
   */
  async record(admissionId: string, request: RecordObservationRequest, context: SignedInContext): Promise<ObservationResponse> {
    const checked = checkObservation(request, this.clock.now());
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.share(manager, admissionId);
      // The clinic's calendar day of the observation lies within the stay.
      const day = calendarDate(checked.recordedAt, this.config.clinicTimeZone);
      assertWithinStay(admission, day, 'recordedAt');
      const taper = checked.band === null ? 'NONE' : taperStateOn(await this.taperOrders.activeVersions(manager, admissionId), day);
      const observation = manager.create(ObservationEntity, {
        admissionId,
        patientId: admission.patientId,
        type: checked.type,
        recordedAt: checked.recordedAt,
        score: checked.score,
        band: checked.band,
        items: checked.items,
        alerts: checked.band !== null ? cowsAlerts(checked.band, taper) : [],
        recordedBy: context.actor.id,
      });
      await manager.insert(ObservationEntity, observation);
      await this.audit.record(
        context,
        {
          action: 'CREATE',
          resource: RESOURCE,
          resourceId: observation.id,
          patientId: admission.patientId,
          detail: { admissionId, type: observation.type, alerts: observation.alerts.map((alert) => alert.code) },
        },
        manager,
      );
      return toObservationResponse(observation);
    });
  }

  /** Newest recordedAt first (then newest recorded); one READ audited for the patient. */
  async list(admissionId: string, query: ListObservationsQuery, context: RequestContext): Promise<Page<ObservationResponse>> {
    if (query.from && query.to && Date.parse(query.to) <= Date.parse(query.from)) {
      throw new ValidationFailed([{ field: 'to', reason: 'must be after from' }]);
    }
    const after = query.cursor ? decodeInstantPositionCursor(query.cursor) : null;
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = manager
      .createQueryBuilder(ObservationEntity, 'o')
      .where('o.admissionId = :admissionId', { admissionId })
      .orderBy('o.recordedAt', 'DESC')
      .addOrderBy('o.position', 'DESC')
      .limit(limit + 1);
    if (query.type) builder.andWhere('o.type = :type', { type: query.type });
    if (query.from) builder.andWhere('o.recordedAt >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('o.recordedAt < :to', { to: new Date(query.to) });
    if (after) builder.andWhere('(o.recordedAt, o.position) < (:afterAt, :afterPosition)', after);
    const rows = await builder.getMany();
    const page = toPage(rows, limit, (o) => instantPositionKey(o.recordedAt, o.position), toObservationResponse);
    await this.audit.record(context, {
      action: 'READ',
      resource: RESOURCE,
      patientId: admission.patientId,
      detail: { admissionId, type: query.type ?? null, count: page.items.length },
    });
    return page;
  }
}
