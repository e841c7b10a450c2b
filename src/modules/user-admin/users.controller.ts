import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Roles } from '../../common/auth/auth.decorators';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { CreateUserDto, UpdateUserDto } from './create-user.dto';
import { Role } from '../../common/auth/role.enum';
import { UserView } from './user.view';
import { UsersService } from './users.service';

class ListUsersQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}

@ApiTags('users')
@Controller('api/v1/users')
@Roles(Role.Admin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(body);
  }

  @Get()
  list(@Query() query: ListUsersQuery): Promise<Page<UserView>> {
    return this.users.list(query.limit, query.offset, query.role);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(id, body);
  }

  /** Ends the sign-in locks on this user's address (after five wrong passwords from one place). */
  @Post(':id/unlock')
  @HttpCode(204)
  async unlock(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.unlock(id);
  }

  /** Sends the invitation again (a new link; the earlier one stops working). Only before it was accepted. */
  @Post(':id/invitation')
  @HttpCode(200)
  resendInvitation(@Param('id', ParseUUIDPipe) id: string): Promise<{ expiresAt: Date }> {
    return this.users.resendInvitation(id);
  }

  /** A lost phone: the user's second factor and recovery codes are removed and his sessions end (audited). */
  @Post(':id/second-factor/reset')
  @HttpCode(204)
  async resetSecondFactor(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.resetSecondFactor(id);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(id);
  }
}
