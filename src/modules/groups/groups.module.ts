import { Module } from '@nestjs/common';
import { SessionScheduleService } from '../sessions/session-schedule.service';
import { GroupEditService } from './group-edit.service';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  controllers: [GroupsController],
  providers: [GroupsService, SessionScheduleService, GroupEditService],
  exports: [GroupsService, SessionScheduleService, GroupEditService],
})
export class GroupsModule {}
