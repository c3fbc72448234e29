import { Global, Module } from '@nestjs/common';
import { AuditSealer } from './audit/audit-sealer.js';
import { AuditService } from './audit/audit.service.js';
import { Clock, SystemClock } from './clock.js';

/** Services every feature module uses: the clock, the audit writer and its sealer. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, AuditService, AuditSealer],
  exports: [Clock, AuditService, AuditSealer],
})
export class CommonModule {}
