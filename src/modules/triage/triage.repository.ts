import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TriageDecisionEntity } from './triage-decision.entity.js';
import { TriageRuleSetEntity } from './triage-rule-set.entity.js';

/** Triage decisions (rules and overrides, in sequence) and the versioned rule sets. */
@Injectable()
export class TriageRepository {
  /** The decision in force for an enquiry (the last override, or the rules' decision). */
  currentDecision(manager: EntityManager, enquiryId: string): Promise<TriageDecisionEntity | null> {
    return manager.findOne(TriageDecisionEntity, { where: { enquiryId }, order: { sequence: 'DESC' } });
  }

  findDecision(manager: EntityManager, id: string): Promise<TriageDecisionEntity | null> {
    return manager.findOneBy(TriageDecisionEntity, { id });
  }

  decisionsOf(manager: EntityManager, enquiryId: string): Promise<TriageDecisionEntity[]> {
    return manager.find(TriageDecisionEntity, { where: { enquiryId }, order: { sequence: 'ASC' } });
  }

  async insertDecision(manager: EntityManager, decision: TriageDecisionEntity): Promise<void> {
    await manager.insert(TriageDecisionEntity, decision);
  }

  /** The migration installs version 1, so there is always one. */
  async currentRuleSet(manager: EntityManager): Promise<TriageRuleSetEntity> {
    const [latest] = await manager.find(TriageRuleSetEntity, { order: { version: 'DESC' }, take: 1 });
    if (!latest) throw new Error('No triage rule set: the migrations have not run');
    return latest;
  }

  async insertRuleSet(manager: EntityManager, ruleSet: TriageRuleSetEntity): Promise<void> {
    await manager.insert(TriageRuleSetEntity, ruleSet);
  }
}
