import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from '../../../common/audit/audit-event.js';

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Order of recording (may have gaps where a transaction rolled back).' }) sequence: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  @ApiProperty({ example: 'user' }) resource: string;
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) patientId: string | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome: AuditOutcome;
  @ApiProperty({ nullable: true, type: String }) correlationId: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'Small facts about the event (reason codes, fields changed).' })
  detail: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Position in the hash chain; null for the last second or so, until the row is sealed.' })
  chainPosition: number | null;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventResponse] }) items: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** Chain positions with no row, first and last. */
export class PositionRange {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
}

/**
 * Where the chain breaks, and the row to look at, named as GET /audit-events names it: its `id`,
 * its `sequence` (here `eventSequence`) and its `chainPosition`.
 */
export class ChainBreak {
  @ApiProperty({ description: 'The chain position where the break is (the same as chainPosition; not the `sequence` of GET /audit-events, which is eventSequence here).' })
  sequence: number;
  @ApiProperty({ description: 'The chain position where the break is: the `chainPosition` of the row named, or for ROWS_MISSING_AT_END the first position missing.' })
  chainPosition: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The row named: the one altered, or the first one after the rows missing; null when rows are missing at the end.' })
  id: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The `sequence` of the row named, as GET /audit-events lists it; null when no row is named.' })
  eventSequence: number | null;
  @ApiProperty({ enum: ['ROW_ALTERED', 'CHAIN_BROKEN', 'ROW_MISSING', 'ROWS_MISSING_AT_END'] }) problem: string;
  @ApiProperty({ type: PositionRange, nullable: true, description: 'For ROW_MISSING and ROWS_MISSING_AT_END: the chain positions with no row (deleted or cut off); null otherwise.' })
  missingPositions: PositionRange | null;
}

export class ChainVerification {
  @ApiProperty({ description: 'True when every row matches its hash and links to the one before.' }) intact: boolean;
  @ApiProperty({ description: 'Sealed events checked.' }) checkedEvents: number;
  @ApiProperty({ description: 'Events recorded after the check began, not yet sealed (sealed within a second).' }) pendingEvents: number;
  @ApiProperty({ type: ChainBreak, nullable: true, description: 'The first place the chain breaks.' }) firstBreak: ChainBreak | null;
}
