import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { ALL_ROLES, Role } from '../../common/auth/role.enum';
import { PoliciesService } from './policies.service';
import { CreatePolicyDto, PolicyFieldsDto } from './policy-fields.dto';
import { Policy } from './policy.entity';

class ListPoliciesQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'All versions of one policy' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  key?: string;

  @ApiPropertyOptional({ description: 'Include superseded versions' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeHistory?: boolean;
}

@ApiTags('policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Roles(...ALL_ROLES)
  list(@Query() query: ListPoliciesQuery): Promise<Page<Policy>> {
    return this.policies.list(query.limit, query.offset, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Policy> {
    return this.policies.get(id);
  }

  @Post()
  @Roles(Role.Admin)
  create(@Body() body: CreatePolicyDto, @CurrentUser() user: SignedInUser): Promise<Policy> {
    return this.policies.create(body, user.id);
  }

  /** Edit = a new version; referrals already ordered keep the version they were ordered under. */
  @Put(':id')
  @Roles(Role.Admin)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: PolicyFieldsDto, @CurrentUser() user: SignedInUser): Promise<Policy> {
    return this.policies.createNextVersion(id, body, user.id);
  }
}
