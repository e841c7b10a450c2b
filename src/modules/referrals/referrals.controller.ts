import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { CreateReferralDto } from './create-referral.dto';
import { AttendanceHistory, ReferralHistoryService } from './referral-history.service';
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
}
