import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { triage, type TriageInput } from '../../clinical/triage.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { EnquiriesRepository, ENQUIRY_ERRORS } from '../enquiries/index.js';
import { IntakeRepository, type AssessmentEntity } from '../intake/index.js';
import { type OverrideRequest } from './dto/triage.requests.js';
import { toDecisionResponse, type TriageDecisionResponse, type TriageHistoryResponse } from './dto/triage.responses.js';
import { TriageDecisionEntity } from './triage-decision.entity.js';
import { TRIAGE_ERRORS } from './triage.errors.js';
import { TriageRepository } from './triage.repository.js';

const RESOURCE = 'triage_decision';

/** Triage by the rules on the current assessment, overrides with a reason, and the history. */
@Injectable()
export class TriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enquiries: EnquiriesRepository,
    private readonly assessments: IntakeRepository,
    private readonly triage: TriageRepository,
    private readonly audit: AuditService,
  ) {}

  async decide(enquiryId: string, context: SignedInContext): Promise<TriageDecisionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.enquiries.lock(manager, enquiryId);
      if (enquiry.status === 'NEW') throw TRIAGE_ERRORS.ASSESSMENT_REQUIRED('Record an intake assessment before triage.');
      if (enquiry.status !== 'ASSESSED') throw ENQUIRY_ERRORS.INVALID_TRANSITION(`An enquiry that is ${enquiry.status} cannot be triaged; use an override.`);
      const assessment = await this.assessments.current(manager, enquiryId);
      if (!assessment) throw TRIAGE_ERRORS.ASSESSMENT_REQUIRED('Record an intake assessment before triage.');
      const rules = await this.triage.currentRuleSet(manager);
      const outcome = applyClinicalRules(() => triage(triageInputOf(assessment), rules));
      // After a new assessment the enquiry is triaged again: the decision follows those before it.
      const previous = await this.triage.currentDecision(manager, enquiryId);
      const decision = manager.create(TriageDecisionEntity, {
        enquiryId,
        sequence: (previous?.sequence ?? 0) + 1,
        assessmentId: assessment.id,
        patientId: assessment.patientId,
        kind: 'RULES',
        pathway: outcome.pathway,
        reasons: outcome.reasons,
        ruleSetVersion: rules.version,
        overridesId: null,
        overrideReason: null,
        decidedBy: context.actor.id,
      });
      await this.triage.insertDecision(manager, decision);
      await this.enquiries.moveTo(manager, enquiry, 'TRIAGED');
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: decision.id, patientId: decision.patientId, detail: { pathway: decision.pathway } }, manager);
      return toDecisionResponse(decision);
    });
  }

  /** Only the current decision of an enquiry still open can be overridden (409 otherwise). */
  async override(decisionId: string, request: OverrideRequest, context: SignedInContext): Promise<TriageDecisionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const target = await this.triage.findDecision(manager, decisionId);
      if (!target) throw new NotFound('Triage decision');
      const enquiry = await this.enquiries.lock(manager, target.enquiryId);
      const current = await this.triage.currentDecision(manager, target.enquiryId);
      if (current?.id !== target.id) throw TRIAGE_ERRORS.STALE_DECISION('This decision has already been overridden; override the current one.');
      // A new assessment since (the enquiry is ASSESSED again) is triaged by the rules first.
      if (enquiry.status === 'ASSESSED') throw TRIAGE_ERRORS.STALE_DECISION('The assessment changed after this decision; triage the enquiry again, then override that decision.');
      await this.enquiries.moveTo(manager, enquiry, 'TRIAGED');
      const decision = manager.create(TriageDecisionEntity, {
        enquiryId: target.enquiryId,
        sequence: target.sequence + 1,
        assessmentId: target.assessmentId,
        patientId: target.patientId,
        ruleSetVersion: target.ruleSetVersion,
        kind: 'OVERRIDE',
        pathway: request.pathway,
        reasons: [{ code: 'OVERRIDE', message: `Overridden from ${target.pathway}: ${request.reason}`, inputs: {} }],
        overridesId: target.id,
        overrideReason: request.reason,
        decidedBy: context.actor.id,
      });
      await this.triage.insertDecision(manager, decision);
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: RESOURCE, resourceId: decision.id, patientId: decision.patientId, detail: { overrides: target.id, from: target.pathway, to: request.pathway } },
        manager,
      );
      return toDecisionResponse(decision);
    });
  }

  async history(enquiryId: string, context: RequestContext): Promise<TriageHistoryResponse> {
    const enquiry = await this.enquiries.find(this.dataSource.manager, enquiryId);
    const decisions = await this.triage.decisionsOf(this.dataSource.manager, enquiryId);
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, patientId: enquiry.patientId, detail: { enquiryId } });
    return { items: decisions.map(toDecisionResponse), currentPathway: decisions.at(-1)?.pathway ?? null };
  }
}

function triageInputOf(assessment: AssessmentEntity): TriageInput {
  const { medical, social, pain, opioids } = assessment.input;
  return {
    // The MME lines follow the intake's opioids one for one.
    opioids: opioids.map((o, i) => ({ drug: o.drug, prescribed: o.prescribed, converted: assessment.mmeLines[i]?.converted ?? true })),
    useDisorderSeverity: assessment.dsm5Result.severity,
    totalDailyMme: assessment.totalDailyMme,
    longActing: assessment.longActing,
    painScore: pain.score,
    medical: {
      cardiacDisease: medical.cardiacDisease,
      respiratoryDisease: medical.respiratoryDisease,
      pregnant: medical.pregnant,
      benzodiazepineUse: medical.benzodiazepineUse,
      seizureHistory: medical.seizureHistory,
      complicatedWithdrawalHistory: medical.complicatedWithdrawalHistory,
    },
    social,
  };
}
