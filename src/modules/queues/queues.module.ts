import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { QueueName } from './queue-names';
import { bullRedisOptions } from './redis-connection';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

/** Bull on REDIS_URL; the prefix keeps the demo, tests and other deployments apart in one Redis. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        url: config.redisUrl,
        prefix: config.queuePrefix,
        redis: bullRedisOptions(),
        settings: {
          lockDuration: config.queueLockMs,
          lockRenewTime: Math.floor(config.queueLockMs / 2),
          stalledInterval: config.queueLockMs,
          maxStalledCount: 3,
        },
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
    ...queues,
  ],
  exports: queues,
})
export class QueuesModule {}
