import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { RecordVictimNotificationDto, SendVictimNotificationDto, SkipVictimNotificationDto } from './protected-party.dto';
import { VictimNotificationView } from './protected-party.view';
import { VictimNotificationsService } from './victim-notifications.service';

class ListVictimNotificationsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'Only those still waiting for an advocate (pending, failed, or unknown outcome)', default: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId?: string;
}

/** Victim notification goes only through an advocate: no other role, not even an admin, sends or sees it. */
@ApiTags('victim notifications')
@Controller('api/v1/victim-notifications')
@Roles(Role.Advocate)
export class VictimNotificationsController {
  constructor(private readonly notifications: VictimNotificationsService) {}

  @Get()
  list(@Query() query: ListVictimNotificationsQuery) {
    return this.notifications.list({ open: query.open ?? true, referralId: query.referralId, limit: query.limit, offset: query.offset });
  }

  @Post(':id/send')
  @HttpCode(200)
  send(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SendVictimNotificationDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<VictimNotificationView> {
    return this.notifications.sendEmail(user, id, body.message);
  }

  @Post(':id/record')
  @HttpCode(200)
  record(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RecordVictimNotificationDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<VictimNotificationView> {
    return this.notifications.record(user, id, body);
  }

  @Post(':id/skip')
  @HttpCode(200)
  skip(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SkipVictimNotificationDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<VictimNotificationView> {
    return this.notifications.skip(user, id, body.note);
  }
}
