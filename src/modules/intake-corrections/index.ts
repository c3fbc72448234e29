// The intake-corrections module as other modules see it.
export { IntakeCorrectionsModule } from './intake-corrections.module.js';
