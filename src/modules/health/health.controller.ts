import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/access.decorators.js';

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiProperty({ enum: ['up', 'down'] }) database: 'up' | 'down';
}

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

const DATABASE_TIMEOUT_MS = 1_500;

/**
 * Three probes: `/health` (the service and its database, as before), `/health/ready` (the same
 * question for load balancers: send traffic only when the database answers) and `/health/live`
 * (the process runs and serves HTTP; no database, so an outage never gets a live process restarted).
 */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and database state' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database is unreachable.' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    return this.databaseState(reply);
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, else 503' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database is unreachable: send no traffic here for now.' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    return this.databaseState(reply);
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP (the database is not asked)' })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  private async databaseState(reply: FastifyReply): Promise<HealthResponse> {
    try {
      await this.health.check([() => this.database.pingCheck('database').withTimeout(DATABASE_TIMEOUT_MS)]);
      return { status: 'ok', database: 'up' };
    } catch {
      void reply.status(503);
      return { status: 'error', database: 'down' };
    }
  }
}
