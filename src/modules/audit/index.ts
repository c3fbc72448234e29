// The audit module as the application sees it.
export { AuditModule } from './audit.module.js';
