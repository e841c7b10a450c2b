import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { SessionView } from './session.view';
import { Role } from '../../common/auth/role.enum';
import { CreateGroupDto, OneOffSessionDto, SessionRangeQuery } from './create-group.dto';
import { GroupView } from './group.view';
import { GroupsService } from './groups.service';

@ApiTags('groups')
@Controller('api/v1/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post()
  @Roles(Role.Admin)
  create(@Body() body: CreateGroupDto): Promise<GroupView> {
    return this.groups.create(body);
  }

  @Get()
  @Roles(Role.Admin, Role.Facilitator)
  list(@Query() query: PaginationQuery, @CurrentUser() user: SignedInUser): Promise<Page<GroupView>> {
    return this.groups.list(user, query.limit, query.offset);
  }

  @Get(':id')
  @Roles(Role.Admin, Role.Facilitator)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<GroupView> {
    return this.groups.get(user, id);
  }

  @Get(':id/sessions')
  @Roles(Role.Admin, Role.Facilitator)
  async sessions(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: SessionRangeQuery,
    @CurrentUser() user: SignedInUser,
  ): Promise<Page<SessionView>> {
    // Bounded by the date range (at most 400 days), so the whole range is one page.
    const items = await this.groups.sessions(user, id, query.from, query.to);
    return { items, total: items.length };
  }

  @Post(':id/sessions')
  @Roles(Role.Admin, Role.Facilitator)
  addSession(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OneOffSessionDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<SessionView> {
    return this.groups.addOneOffSession(user, id, body);
  }

  /** Lays out the schedule now rather than waiting for the nightly job; idempotent. */
  @Post(':id/generate-sessions')
  @Roles(Role.Admin)
  @HttpCode(200)
  generate(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<{ created: number }> {
    return this.groups.generateSessions(user, id);
  }
}
