import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NoticesModule } from '../notices/notices.module';
import { DeliveryHealthIndicator } from './delivery.health';
import { HealthController } from './health.controller';
import { NoticesHealthIndicator } from './notices.health';
import { RedisHealthIndicator } from './redis.health';
import { SmtpHealthIndicator } from './smtp.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), NoticesModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, SmtpHealthIndicator, NoticesHealthIndicator, DeliveryHealthIndicator],
})
export class HealthModule {}
