import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { RecordResponseDto } from './record-response.dto';
import { ResponseView } from './response.view';
import { ResponsesService } from './responses.service';

@ApiTags('responses')
@Controller('api/v1')
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  /** Probation or the court records what it did about an event it was sent. */
  @Post('events/:id/responses')
  @Roles(Role.ProbationOfficer, Role.CourtClerk)
  record(
    @Param('id', ParseUUIDPipe) eventId: string,
    @Body() body: RecordResponseDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ResponseView> {
    return this.responses.record(user, eventId, body);
  }

  @Get('referrals/:id/responses')
  @Roles(Role.Admin, Role.ProbationOfficer, Role.CourtClerk, Role.Coordinator)
  async list(
    @Param('id', ParseUUIDPipe) referralId: string,
    @CurrentUser() user: SignedInUser,
  ): Promise<{ items: ResponseView[]; total: number }> {
    const items = await this.responses.forReferral(user, referralId);
    return { items, total: items.length };
  }
}
