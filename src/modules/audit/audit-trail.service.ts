import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditSealer } from '../../common/audit/audit-sealer.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import type { ListAuditEventsQuery } from './dto/audit.requests.js';
import type { AuditEventResponse, ChainBreak, ChainVerification } from './dto/audit.responses.js';

interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actor_id: string | null;
  action: AuditEventResponse['action'];
  resource: string;
  resource_id: string | null;
  patient_id: string | null;
  outcome: AuditEventResponse['outcome'];
  correlation_id: string | null;
  address: string | null;
  detail: Record<string, unknown> | null;
  chain_position: string | null;
}

// In chain order, each sealed row must hash to its stored hash, follow the previous position
// by one, and link to the previous row's hash.
const FIRST_BREAK = `
  SELECT chain_position, seq, id, previous_position, problem FROM (
    SELECT e.chain_position, e.seq, e.id, coalesce(lag(e.chain_position) OVER w, 0) AS previous_position,
      CASE
        WHEN e.hash <> audit_event_hash(e) THEN 'ROW_ALTERED'
        WHEN e.chain_position <> coalesce(lag(e.chain_position) OVER w, 0) + 1 THEN 'ROW_MISSING'
        WHEN e.prev_hash <> coalesce(lag(e.hash) OVER w, decode(repeat('00', 32), 'hex')) THEN 'CHAIN_BROKEN'
      END AS problem
    FROM audit_events e
    WHERE e.chain_position IS NOT NULL
    WINDOW w AS (ORDER BY e.chain_position)
  ) checked
  WHERE problem IS NOT NULL
  ORDER BY chain_position
  LIMIT 1`;

// The head remembers the last row sealed: rows cut from the end, or a tail rewritten or
// appended behind the sealer's back, show up here.
const TAIL = `
  SELECT h.position AS head_position, h.hash AS head_hash, last.chain_position AS last_position, last.seq AS last_seq, last.id AS last_id, last.hash AS last_hash,
         (SELECT count(*) FROM audit_events WHERE chain_position IS NOT NULL)::int AS sealed,
         (SELECT count(*) FROM audit_events WHERE chain_position IS NULL)::int AS pending
  FROM audit_chain_head h
  LEFT JOIN LATERAL (SELECT chain_position, seq, id, hash FROM audit_events WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1) last ON true`;

interface BreakRow {
  chain_position: string;
  seq: string;
  id: string;
  previous_position: string;
  problem: ChainBreak['problem'];
}

interface TailRow {
  head_position: string;
  head_hash: Buffer;
  last_position: string | null;
  last_seq: string | null;
  last_id: string | null;
  last_hash: Buffer | null;
  sealed: number;
  pending: number;
}

/** The admin's view of the audit trail: filtered listing and the hash-chain check. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sealer: AuditSealer,
  ) {}

  async list(query: ListAuditEventsQuery, context: RequestContext): Promise<Page<AuditEventResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (query.patientId) add('patient_id = ?', query.patientId);
    if (query.actorId) add('actor_id = ?', query.actorId);
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.action) add('action = ?', query.action);
    if (query.cursor) add('seq < ?', decodeCursor(query.cursor, ['integer'])[0]);
    params.push(limit + 1);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT seq, id, at, actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail, chain_position
       FROM audit_events ${where} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    await this.audit.record(context, { action: 'READ', resource: 'audit_events', patientId: query.patientId ?? null });
    return toPage(rows, limit, (row) => [Number(row.seq)], toAuditEventResponse);
  }

  /**
   * Seals what is pending, then checks the whole chain in one consistent snapshot. The check runs
   * even if sealing fails: a tampered chain can stop the sealer (a row forged at the next
   * position), and that is just what the check must then report.
   */
  async verify(context: RequestContext): Promise<ChainVerification> {
    await this.sealer.trySeal();
    const result = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [rowBreak]: BreakRow[] = await manager.query(FIRST_BREAK);
      // The head row always exists (the migration inserts it), so TAIL returns exactly one row.
      const [tail]: [TailRow] = await manager.query(TAIL);
      const firstBreak = rowBreak ? breakAtRow(rowBreak) : tailBreak(tail);
      return { intact: firstBreak === null, checkedEvents: tail.sealed, pendingEvents: tail.pending, firstBreak };
    });
    await this.audit.record(context, { action: 'READ', resource: 'audit_chain', detail: { intact: result.intact } });
    return result;
  }
}

/** A break named by the row where it shows; a gap also by the positions missing before that row. */
function breakAtRow(row: BreakRow): ChainBreak {
  const position = Number(row.chain_position);
  const missingPositions = row.problem === 'ROW_MISSING' ? { from: Number(row.previous_position) + 1, to: position - 1 } : null;
  return chainBreak(position, row.id, Number(row.seq), row.problem, missingPositions);
}

/** Compares the last sealed row with the chain head, once every row is known to link to the one before. */
function tailBreak(tail: TailRow): ChainBreak | null {
  const headPosition = Number(tail.head_position);
  const lastPosition = Number(tail.last_position ?? 0);
  if (lastPosition < headPosition) return chainBreak(lastPosition + 1, null, null, 'ROWS_MISSING_AT_END', { from: lastPosition + 1, to: headPosition });
  // The rows link up, but the last one is not the one the head recorded: the tail was
  // rewritten and rehashed, or extended without the sealer.
  if (lastPosition > headPosition || (tail.last_hash !== null && !tail.head_hash.equals(tail.last_hash))) {
    return chainBreak(lastPosition, tail.last_id, tail.last_seq === null ? null : Number(tail.last_seq), 'CHAIN_BROKEN', null);
  }
  return null;
}

// `sequence` stays the chain position it always was, for the clients that read it.
function chainBreak(position: number, id: string | null, eventSequence: number | null, problem: ChainBreak['problem'], missingPositions: ChainBreak['missingPositions']): ChainBreak {
  return { sequence: position, chainPosition: position, id, eventSequence, problem, missingPositions };
}

function toAuditEventResponse(row: AuditRow): AuditEventResponse {
  return {
    id: row.id,
    sequence: Number(row.seq),
    at: row.at.toISOString(),
    actorId: row.actor_id,
    action: row.action,
    resource: row.resource,
    resourceId: row.resource_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    correlationId: row.correlation_id,
    address: row.address,
    detail: row.detail,
    chainPosition: row.chain_position === null ? null : Number(row.chain_position),
  };
}
