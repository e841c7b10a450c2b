import { Module } from '@nestjs/common';
import { FieldCipher } from './field-cipher';
import { ProtectedPartiesController } from './protected-parties.controller';
import { ProtectedPartiesService } from './protected-parties.service';
import { ProtectedPartyAccess } from './protected-party-access';
import { VictimNotificationsController } from './victim-notifications.controller';
import { VictimNotificationsService } from './victim-notifications.service';

@Module({
  controllers: [ProtectedPartiesController, VictimNotificationsController],
  providers: [FieldCipher, ProtectedPartyAccess, ProtectedPartiesService, VictimNotificationsService],
  exports: [ProtectedPartiesService, VictimNotificationsService],
})
export class ProtectedPartiesModule {}
