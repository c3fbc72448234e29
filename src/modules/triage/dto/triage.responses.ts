import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Pathway, TriageReason } from '../../../clinical/triage.js';
import type { TriageDecisionEntity } from '../triage-decision.entity.js';
import type { TriageRuleSetEntity } from '../triage-rule-set.entity.js';
import { PATHWAYS } from './triage.requests.js';

export class TriageSettingsResponse {
  @ApiProperty() ruleSetVersion: number;
  @ApiProperty() highDoseMme: number;
  @ApiProperty() veryHighMme: number;
  @ApiProperty() outpatientMaxPainScore: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TriageReasonDto {
  @ApiProperty({ example: 'VERY_HIGH_DOSE' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string' }] }, description: 'The inputs the rule saw.' }) inputs?: Record<string, number | boolean | string>;
}

export class TriageDecisionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enquiryId: string;
  @ApiProperty({ format: 'uuid' }) assessmentId: string;
  @ApiProperty({ enum: ['RULES', 'OVERRIDE'] }) kind: string;
  @ApiProperty({ enum: PATHWAYS }) pathway: Pathway;
  @ApiProperty({ type: [TriageReasonDto] }) reasons: TriageReason[];
  @ApiProperty() ruleSetVersion: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) overridesDecisionId: string | null;
  @ApiProperty({ type: String, nullable: true }) overrideReason: string | null;
  @ApiProperty({ format: 'uuid' }) decidedBy: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

export class TriageHistoryResponse {
  @ApiProperty({ type: [TriageDecisionResponse], description: 'Oldest first; the last one is current.' }) items: TriageDecisionResponse[];
  @ApiProperty({ enum: PATHWAYS, nullable: true }) currentPathway: Pathway | null;
}

export function toSettingsResponse(rules: TriageRuleSetEntity): TriageSettingsResponse {
  return {
    ruleSetVersion: rules.version,
    highDoseMme: rules.highDoseMme,
    veryHighMme: rules.veryHighMme,
    outpatientMaxPainScore: rules.outpatientMaxPainScore,
    createdBy: rules.createdBy,
    createdAt: rules.createdAt.toISOString(),
  };
}

export function toDecisionResponse(decision: TriageDecisionEntity): TriageDecisionResponse {
  return {
    id: decision.id,
    enquiryId: decision.enquiryId,
    assessmentId: decision.assessmentId,
    kind: decision.kind,
    pathway: decision.pathway,
    reasons: decision.reasons,
    ruleSetVersion: decision.ruleSetVersion,
    overridesDecisionId: decision.overridesId,
    overrideReason: decision.overrideReason,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt.toISOString(),
  };
}
