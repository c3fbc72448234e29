// The health module as the application sees it.
export { HealthModule } from './health.module.js';
