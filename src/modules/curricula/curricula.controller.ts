import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { Page, PaginationQuery } from '../../common/http/pagination.dto';
import { ALL_ROLES } from '../../common/auth/role.enum';
import { CurriculaService, CurriculumSummary, CurriculumWithUnits } from './curricula.service';

@ApiTags('curricula')
@Controller('api/v1/curricula')
@Roles(...ALL_ROLES)
export class CurriculaController {
  constructor(private readonly curricula: CurriculaService) {}

  @Get()
  list(@Query() query: PaginationQuery): Promise<Page<CurriculumSummary>> {
    return this.curricula.list(query.limit, query.offset);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<CurriculumWithUnits> {
    return this.curricula.get(id);
  }
}
