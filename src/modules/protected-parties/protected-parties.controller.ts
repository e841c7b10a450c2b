import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { ProtectedPartiesService } from './protected-parties.service';
import { AdvocateLookupDto, CreateProtectedPartyDto, UpdateProtectedPartyDto } from './protected-party.dto';
import { AdvocateReferralView, ProtectedPartyReceipt, ProtectedPartyView } from './protected-party.view';

/** Victim/partner data: advocates, and admins where the referral's policy allows. Nobody else learns it exists. */
@ApiTags('protected parties')
@Controller('api/v1')
export class ProtectedPartiesController {
  constructor(private readonly parties: ProtectedPartiesService) {}

  @Get('referrals/:id/protected-parties')
  @Roles(Role.Advocate, Role.Admin)
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<ProtectedPartyView[]> {
    return this.parties.list(user, id);
  }

  @Post('referrals/:id/protected-parties')
  @Roles(Role.Advocate, Role.Admin)
  create(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateProtectedPartyDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ProtectedPartyView | ProtectedPartyReceipt> {
    return this.parties.create(user, id, body);
  }

  @Patch('protected-parties/:id')
  @Roles(Role.Advocate, Role.Admin)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateProtectedPartyDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ProtectedPartyView> {
    return this.parties.update(user, id, body);
  }

  /** Referrals with protected parties, newest status change first (a completion or termination is news to her). */
  @Get('advocate/referrals')
  @Roles(Role.Advocate)
  referrals(@Query() query: PaginationQuery): Promise<Page<AdvocateReferralView>> {
    return this.parties.advocateReferrals(query.limit, query.offset);
  }

  /** Finds any referral by its case number, by POST so the number stays out of URLs and logs. */
  @Post('advocate/referrals/lookup')
  @Roles(Role.Advocate)
  @HttpCode(200)
  lookup(@Body() body: AdvocateLookupDto): Promise<Page<AdvocateReferralView>> {
    return this.parties.advocateReferrals(10, 0, { caseNumber: body.caseNumber });
  }
}
