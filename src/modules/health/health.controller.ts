import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../../common/auth/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { DeliveryHealthIndicator } from './delivery.health';
import { NoticesHealthIndicator } from './notices.health';
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
    private readonly notices: NoticesHealthIndicator,
    private readonly delivery: DeliveryHealthIndicator,
  ) {}

  /** Liveness: the process answers. Dependencies are /health/ready's business. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: PostgreSQL and Redis reachable (503 when either is not). SMTP, the notice backlog
   * and the queue are reported beside them but never fail it.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.checked([
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      () => this.redis.check(),
      () => this.smtp.check(),
      () => this.notices.check(),
      () => this.delivery.report(),
    ]);
  }

  /** For an alert or a worker probe: 503 while jobs wait and no worker takes any. */
  @Get('delivery')
  @HealthCheck()
  deliveryCheck(): Promise<HealthCheckResult> {
    return this.checked([() => this.delivery.check()]);
  }

  private async checked(indicators: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      // The exception filter keeps only a message; say which dependency is down in our error shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new DomainError('unavailable', 'NOT_READY', `Not ready: ${down.join(', ')} down`, { ...result.details });
    }
  }
}
