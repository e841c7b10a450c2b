import { Module } from '@nestjs/common';
import { ComplianceCoreModule } from '../compliance/compliance-core.module';
import { GroupsModule } from '../groups/groups.module';
import { RosterService } from './roster.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [GroupsModule, ComplianceCoreModule],
  controllers: [SessionsController],
  providers: [SessionsService, RosterService],
  exports: [RosterService, SessionsService],
})
export class SessionsModule {}
