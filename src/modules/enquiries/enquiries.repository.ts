import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findOrNotFound, lockOrNotFound } from '../../common/database/rows.js';
import { decodeCursor } from '../../common/pagination/cursor.js';
import { namedParams, searchSql } from '../../common/search/search-sql.js';
import type { SearchTerms } from '../../common/search/search-terms.js';
import { assertCanMove, type EnquiryStatus } from './enquiry-status.js';
import { EnquiryEntity } from './enquiry.entity.js';

/** Enquiries as intake, triage and admissions need them: found, locked, moved along the state graph. */
@Injectable()
export class EnquiriesRepository {
  /** For reads by other modules, which audit them themselves. */
  find(manager: EntityManager, id: string): Promise<EnquiryEntity> {
    return findOrNotFound(manager, EnquiryEntity, id, 'Enquiry');
  }

  /** The enquiry, locked for the rest of the caller's transaction: two clicks queue, never interleave. */
  lock(manager: EntityManager, id: string): Promise<EnquiryEntity> {
    return lockOrNotFound(manager, EnquiryEntity, id, 'Enquiry');
  }

  /** Moves a locked enquiry along the state graph (409 otherwise), with any other changes. */
  async moveTo(manager: EntityManager, enquiry: EnquiryEntity, status: EnquiryStatus, changes: Partial<Pick<EnquiryEntity, 'patientId' | 'statusReason'>> = {}): Promise<void> {
    assertCanMove(enquiry.status, status);
    Object.assign(enquiry, changes, { status });
    await manager.save(EnquiryEntity, enquiry);
  }

  async insert(manager: EntityManager, enquiry: EnquiryEntity): Promise<void> {
    await manager.insert(EnquiryEntity, enquiry);
  }

  /** Newest first, `limit + 1` rows (see toPage). */
  page(manager: EntityManager, query: { status?: EnquiryStatus; cursor?: string; limit: number }): Promise<EnquiryEntity[]> {
    const builder = manager.createQueryBuilder(EnquiryEntity, 'e').orderBy('e.position', 'DESC').limit(query.limit + 1);
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) builder.andWhere('e.position < :position', { position: decodeCursor(query.cursor, ['integer'])[0] });
    return builder.getMany();
  }

  /**
   * A page of a search by contact name, phone or email, `limit + 1` rows (see toPage): best
   * matches first (see searchSql), then newest first; each with its tier for the cursor.
   */
  async search(
    manager: EntityManager,
    terms: SearchTerms,
    query: { status?: EnquiryStatus; after: [number, number] | null; limit: number },
  ): Promise<{ enquiry: EnquiryEntity; tier: number }[]> {
    const { values: params, param } = namedParams();
    const { where, tier } = searchSql(terms, { name: 'e.search_name', phone: 'e.search_phone', email: 'e.contact_email' }, param);
    const builder = manager
      .createQueryBuilder(EnquiryEntity, 'e')
      .addSelect(tier, 'search_tier')
      .where(where, params)
      .andWhere(`${tier} IS NOT NULL`)
      .orderBy('search_tier', 'ASC')
      .addOrderBy('e.position', 'DESC')
      .limit(query.limit + 1);
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.after) {
      const [afterTier, afterPosition] = query.after;
      builder.andWhere(`(${tier} > :afterTier OR (${tier} = :afterTier AND e.position < :afterPosition))`, { afterTier, afterPosition });
    }
    const { entities, raw } = await builder.getRawAndEntities<{ search_tier: number }>();
    return entities.map((enquiry, i) => ({ enquiry, tier: raw[i]!.search_tier }));
  }
}
