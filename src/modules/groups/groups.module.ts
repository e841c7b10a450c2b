import { Module } from '@nestjs/common';
import { SessionScheduleService } from '../sessions/session-schedule.service';
import { GroupAccess } from './group-access';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  controllers: [GroupsController],
  providers: [GroupsService, GroupAccess, SessionScheduleService],
  exports: [GroupsService, GroupAccess, SessionScheduleService],
})
export class GroupsModule {}
