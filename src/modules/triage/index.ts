// The triage module as other modules see it.
export { TriageDecisionEntity } from './triage-decision.entity.js';
export { TriageRuleSetEntity } from './triage-rule-set.entity.js';
export { TriageModule } from './triage.module.js';
export { TriageRepository } from './triage.repository.js';
