import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module';
import { CalendarModule } from '../calendar/calendar.module';
import { ParticipantMessagesModule } from '../participant-messages/participant-messages.module';
import { GroupsModule } from '../groups/groups.module';
import { HolidaysController } from './holidays.controller';
import { HolidaysService } from './holidays.service';
import { RosterRepository } from './roster.repository';
import { RosterService } from './roster.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [GroupsModule, ComplianceModule, CalendarModule, ParticipantMessagesModule],
  controllers: [SessionsController, HolidaysController],
  providers: [SessionsService, RosterService, HolidaysService, RosterRepository],
  exports: [RosterService, SessionsService],
})
export class SessionsModule {}
