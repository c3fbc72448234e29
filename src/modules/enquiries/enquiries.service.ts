import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { searchAuditDetail, searchTerms } from '../../common/search/search-terms.js';
import type { CreateEnquiryRequest, ListEnquiriesQuery } from './dto/enquiry.requests.js';
import { toEnquiryResponse, toEnquirySearchResult, type EnquiryResponse, type EnquirySearchResult } from './dto/enquiry.responses.js';
import { EnquiriesRepository } from './enquiries.repository.js';
import { finderSearchProblem, worksTheRegister } from '../../common/search/finder-query.js';
import type { EnquiryStatus } from './enquiry-status.js';
import { EnquiryEntity } from './enquiry.entity.js';

export const ENQUIRY_RESOURCE = 'enquiry';

/** Taking, reading and concluding enquiries. Other modules move an enquiry through EnquiriesRepository. */
@Injectable()
export class EnquiriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enquiries: EnquiriesRepository,
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
      await this.enquiries.insert(manager, enquiry);
      await this.audit.record(context, { action: 'CREATE', resource: ENQUIRY_RESOURCE, resourceId: enquiry.id }, manager);
      return toEnquiryResponse(enquiry);
    });
  }

  async get(id: string, context: RequestContext): Promise<EnquiryResponse> {
    const enquiry = await this.enquiries.find(this.dataSource.manager, id);
    await this.audit.record(context, { action: 'READ', resource: ENQUIRY_RESOURCE, resourceId: id, patientId: enquiry.patientId });
    return toEnquiryResponse(enquiry);
  }

  /** Newest first; with `q`, best matches first (the audit row says how it was searched, not the text). */
  async list(query: ListEnquiriesQuery, context: RequestContext): Promise<Page<EnquiryResponse | EnquirySearchResult>> {
    if (query.q !== undefined) return this.search(query as ListEnquiriesQuery & { q: string }, context);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.enquiries.page(this.dataSource.manager, { ...query, limit });
    const page = toPage(rows, limit, (e) => [Number(e.position)], toEnquiryResponse);
    await this.audit.recordListRead(context, ENQUIRY_RESOURCE, page.items.map((e) => e.patientId), { count: page.items.length });
    return page;
  }

  /**
   * Admissions and the psychiatrist get whole enquiries; the roles that may only search (the
   * access guard lets them in with a q) get who called and how to call back, from a text long
   * enough to find someone rather than list the register.
   */
  private async search(query: ListEnquiriesQuery & { q: string }, context: RequestContext): Promise<Page<EnquiryResponse | EnquirySearchResult>> {
    const whole = worksTheRegister(context.actor);
    const tooShort = whole ? null : finderSearchProblem(query.q);
    if (tooShort) throw new ValidationFailed([{ field: 'q', reason: tooShort }]);
    const terms = searchTerms(query.q);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? (decodeCursor(query.cursor, ['int4', 'integer']) as [number, number]) : null;
    const rows = await this.enquiries.search(this.dataSource.manager, terms, { status: query.status, after, limit });
    const toItem = whole ? toEnquiryResponse : toEnquirySearchResult;
    const page = toPage(rows, limit, (row) => [row.tier, Number(row.enquiry.position)], (row) => toItem(row.enquiry));
    await this.audit.recordListRead(context, ENQUIRY_RESOURCE, page.items.map((e) => e.patientId), { count: page.items.length, ...searchAuditDetail(terms) });
    return page;
  }

  /** Close, refer or decline, with the reason on record. */
  async conclude(id: string, status: Extract<EnquiryStatus, 'CLOSED' | 'REFERRED' | 'DECLINED'>, reason: string, context: RequestContext): Promise<EnquiryResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.enquiries.lock(manager, id);
      const from = enquiry.status;
      await this.enquiries.moveTo(manager, enquiry, status, { statusReason: reason });
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: ENQUIRY_RESOURCE, resourceId: id, patientId: enquiry.patientId, detail: { from, to: status } },
        manager,
      );
      return toEnquiryResponse(enquiry);
    });
  }
}
