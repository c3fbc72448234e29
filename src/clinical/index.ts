// Pure clinical rules: no framework, no database, no clock.
export * from './clinical-error.js';
export * from './dsm5.js';
export * from './hyperalgesia.js';
export * from './mme.js';
export * from './triage.js';
export * from './cows.js';
export * from './pain-plan.js';
export * from './taper.js';
export * from './pain-trend.js';
export * from './opioid-in-use.js';
