import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../../common/auth/auth.decorators';
import { RedisHealthIndicator } from './redis.health';
import { SmtpHealthIndicator } from './smtp.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly smtp: SmtpHealthIndicator,
  ) {}

  /** Liveness: the process answers. Dependencies are /health/ready's business. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL, Redis and SMTP reachable; 503 when any is not. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      () => this.redis.check(),
      () => this.smtp.check(),
    ]);
  }
}
