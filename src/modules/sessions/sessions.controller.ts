import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { CancelSessionDto } from '../groups/create-group.dto';
import { Role } from '../../common/auth/role.enum';
import { Roster, RosterService } from './roster.service';
import { SessionView } from '../groups/session.view';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@Controller('api/v1/sessions')
@Roles(Role.Admin, Role.Facilitator)
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly rosters: RosterService,
  ) {}

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<SessionView> {
    return this.sessions.get(user, id);
  }

  @Get(':id/roster')
  roster(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<Roster> {
    return this.rosters.roster(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() body: CancelSessionDto, @CurrentUser() user: SignedInUser): Promise<SessionView> {
    return this.sessions.cancel(user, id, body.reason);
  }
}
