import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit/audit.service.js';
import { Clock, SystemClock } from './clock.js';

/** Services every feature module uses: the clock and the audit writer. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, AuditService],
  exports: [Clock, AuditService],
})
export class CommonModule {}
