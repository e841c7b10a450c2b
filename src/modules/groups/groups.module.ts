import { Module } from '@nestjs/common';
import { SessionScheduleService } from './session-schedule.service';
import { GroupEditService } from './group-edit.service';
import { GroupsController } from './groups.controller';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

@Module({
  controllers: [GroupsController],
  providers: [GroupsService, SessionScheduleService, GroupEditService, GroupsRepository],
  exports: [GroupsService, SessionScheduleService, GroupEditService],
})
export class GroupsModule {}
