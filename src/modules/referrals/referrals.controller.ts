import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { CreateReferralDto, FeesDto, ReasonDto } from './create-referral.dto';
import { AttendanceHistory, ReferralHistoryService } from './referral-history.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { ReferralView } from './referral.view';
import { ReferralsService } from './referrals.service';

class ListReferralsQuery extends PaginationQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(60)
  caseNumber?: string;

  @ApiPropertyOptional({ enum: ReferralStatus })
  @IsOptional()
  @IsEnum(ReferralStatus, { message: `status must be one of: ${Object.values(ReferralStatus).join(', ')}` })
  status?: ReferralStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'probationOfficerId must be a UUID' })
  probationOfficerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'courtAgencyId must be a UUID' })
  courtAgencyId?: string;
}

/** A case number in the body rather than the address, so it stays out of URLs and their logs. */
class LookupReferralDto extends PaginationQuery {
  @ApiProperty({ example: 'CR-26-0142', maxLength: 60 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'caseNumber must be a string' })
  @IsNotEmpty({ message: 'caseNumber is required' })
  @MaxLength(60)
  caseNumber: string;
}

const READERS = [Role.Admin, Role.ProbationOfficer, Role.CourtClerk];

@ApiTags('referrals')
@Controller('api/v1/referrals')
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly lifecycle: ReferralLifecycleService,
    private readonly history: ReferralHistoryService,
  ) {}

  @Post()
  @Roles(Role.Admin)
  create(@Body() body: CreateReferralDto, @CurrentUser() user: SignedInUser) {
    return this.referrals.create(body, user);
  }

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListReferralsQuery, @CurrentUser() user: SignedInUser): Promise<Page<ReferralView>> {
    return this.referrals.list(user, query);
  }

  @Post('lookup')
  @Roles(...READERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'GET /api/v1/referrals?caseNumber= with the case number in the body: same scope, same answer' })
  lookup(@Body() body: LookupReferralDto, @CurrentUser() user: SignedInUser): Promise<Page<ReferralView>> {
    return this.referrals.list(user, { caseNumber: body.caseNumber, limit: body.limit, offset: body.offset });
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    return this.referrals.get(user, id);
  }

  @Get(':id/attendance')
  @Roles(Role.Admin, Role.ProbationOfficer)
  attendance(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<AttendanceHistory> {
    return this.history.attendance(user, id);
  }

  @Post(':id/complete')
  @Roles(Role.Admin)
  @HttpCode(200)
  async complete(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.complete(user, id);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/terminate')
  @Roles(Role.Admin)
  @HttpCode(200)
  async terminate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ReferralView> {
    await this.lifecycle.terminate(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  /** Back to active after non-compliance, with the program's reason (e.g. a make-up plan). */
  @Post(':id/reinstate')
  @Roles(Role.Admin)
  @HttpCode(200)
  async reinstate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ReferralView> {
    await this.lifecycle.reinstate(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/close')
  @Roles(Role.Admin)
  @HttpCode(200)
  async close(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.close(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/fees')
  @Roles(Role.Admin)
  @HttpCode(200)
  async fees(@Param('id', ParseUUIDPipe) id: string, @Body() body: FeesDto, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.setFeesPaid(user, id, body.paid);
    return this.referrals.get(user, id, { audit: false });
  }
}
