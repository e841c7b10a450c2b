import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { ProtectedPartiesController } from './protected-parties.controller';
import { ProtectedPartiesService } from './protected-parties.service';
import { VictimNotificationsController } from './victim-notifications.controller';
import { VictimNotificationsService } from './victim-notifications.service';

@Module({
  imports: [MailModule],
  controllers: [ProtectedPartiesController, VictimNotificationsController],
  providers: [ProtectedPartiesService, VictimNotificationsService],
  exports: [ProtectedPartiesService, VictimNotificationsService],
})
export class ProtectedPartiesModule {}
