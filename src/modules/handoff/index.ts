// The handoff module as other modules see it.
export { HandoffModule } from './handoff.module.js';
