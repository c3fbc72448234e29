import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import type { CreateEnquiryRequest, ListEnquiriesQuery } from './dto/enquiry.requests.js';
import { toEnquiryResponse, type EnquiryResponse } from './dto/enquiry.response.js';
import { assertCanMove, type EnquiryStatus } from './enquiry-status.js';
import { EnquiryEntity } from './enquiry.entity.js';

export const ENQUIRY_RESOURCE = 'enquiry';

/** Enquiries and their state machine. Other modules move an enquiry through `lock` + `moveTo`. */
@Injectable()
export class EnquiriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(request: CreateEnquiryRequest, context: SignedInContext): Promise<EnquiryResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = manager.create(EnquiryEntity, {
        status: 'NEW',
        contactName: request.contactName,
        contactPhone: request.contactPhone ?? null,
        contactEmail: request.contactEmail?.toLowerCase() ?? null,
        relationship: request.relationship,
        source: request.source ?? null,
        summary: request.summary ?? null,
        patientId: null,
        statusReason: null,
        createdBy: context.actor.id,
      });
      await manager.insert(EnquiryEntity, enquiry);
      await this.audit.record(context, { action: 'CREATE', resource: ENQUIRY_RESOURCE, resourceId: enquiry.id }, manager);
      return toEnquiryResponse(enquiry);
    });
  }

  async get(id: string, context: RequestContext): Promise<EnquiryResponse> {
    const enquiry = await this.dataSource.manager.findOneBy(EnquiryEntity, { id });
    if (!enquiry) throw new NotFound('Enquiry');
    await this.audit.record(context, { action: 'READ', resource: ENQUIRY_RESOURCE, resourceId: id, patientId: enquiry.patientId });
    return toEnquiryResponse(enquiry);
  }

  /** Newest first. */
  async list(query: ListEnquiriesQuery, context: RequestContext): Promise<Page<EnquiryResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = this.dataSource.manager.createQueryBuilder(EnquiryEntity, 'e').orderBy('e.position', 'DESC').limit(limit + 1);
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) builder.andWhere('e.position < :position', { position: decodeCursor(query.cursor, ['integer'])[0] });
    const rows = await builder.getMany();
    const page = toPage(rows, limit, (e) => [Number(e.position)], toEnquiryResponse);
    await this.audit.recordListRead(context, ENQUIRY_RESOURCE, page.items.map((e) => e.patientId), { count: page.items.length });
    return page;
  }

  /** Close, refer or decline, with the reason on record. */
  async conclude(id: string, status: Extract<EnquiryStatus, 'CLOSED' | 'REFERRED' | 'DECLINED'>, reason: string, context: RequestContext): Promise<EnquiryResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.lock(manager, id);
      const from = enquiry.status;
      await this.moveTo(manager, enquiry, status, { statusReason: reason });
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: ENQUIRY_RESOURCE, resourceId: id, patientId: enquiry.patientId, detail: { from, to: status } },
        manager,
      );
      return toEnquiryResponse(enquiry);
    });
  }

  /** The enquiry, locked for the rest of the caller's transaction: two clicks queue, never interleave. */
  async lock(manager: EntityManager, id: string): Promise<EnquiryEntity> {
    const enquiry = await manager.findOne(EnquiryEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!enquiry) throw new NotFound('Enquiry');
    return enquiry;
  }

  /** Moves a locked enquiry along the state graph (409 otherwise), with any other changes. */
  async moveTo(manager: EntityManager, enquiry: EnquiryEntity, status: EnquiryStatus, changes: Partial<Pick<EnquiryEntity, 'patientId' | 'statusReason'>> = {}): Promise<void> {
    assertCanMove(enquiry.status, status);
    Object.assign(enquiry, changes, { status });
    await manager.save(EnquiryEntity, enquiry);
  }

  /** For reads by other modules, which audit them themselves. */
  async find(manager: EntityManager, id: string): Promise<EnquiryEntity> {
    const enquiry = await manager.findOneBy(EnquiryEntity, { id });
    if (!enquiry) throw new NotFound('Enquiry');
    return enquiry;
  }
}
