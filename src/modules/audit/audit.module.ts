import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditTrailService } from './audit-trail.service.js';

/** Reading and verifying the audit trail (admin). Writing is AuditService, in common/. */
@Module({ controllers: [AuditController], providers: [AuditTrailService] })
export class AuditModule {}
