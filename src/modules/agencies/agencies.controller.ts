import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-error';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Roles } from '../../common/auth/auth.decorators';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { Role } from '../../common/auth/role.enum';
import { AgenciesService } from './agencies.service';
import { Agency, AgencyKind } from './agency.entity';
import { CreateAgencyDto, UpdateAgencyDto } from './create-agency.dto';

class ListAgenciesQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: AgencyKind })
  @IsOptional()
  @IsEnum(AgencyKind)
  kind?: AgencyKind;
}

@ApiTags('agencies')
@Controller('api/v1/agencies')
@Roles(Role.Admin)
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  create(@Body() body: CreateAgencyDto): Promise<Agency> {
    return this.agencies.create(body);
  }

  @Get()
  list(@Query() query: ListAgenciesQuery): Promise<Page<Agency>> {
    return this.agencies.list(query.limit, query.offset, query.kind);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAgencyDto): Promise<Agency> {
    return this.agencies.update(id, body);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Agency> {
    const agency = await this.agencies.findById(id);
    if (!agency) throw new NotFoundError('agency');
    return agency;
  }
}
