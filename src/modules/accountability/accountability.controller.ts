import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Response } from 'express';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { sendAccountabilityCsv } from './accountability-csv';
import { AccountabilityExportService, EXPORT_TABLES, ExportTable } from './accountability-export.service';
import { AccountabilityQuery } from './accountability-query.dto';
import { AccountabilityService } from './accountability.service';
import { AccountabilitySummary } from './accountability.view';

/** The program, the coordinator, and each agency for its own orders. */
export const ACCOUNTABILITY_ROLES = [Role.Admin, Role.Coordinator, Role.ProbationOfficer, Role.CourtClerk] as const;

class ExportTableParams {
  @ApiProperty({ enum: EXPORT_TABLES })
  @IsIn(EXPORT_TABLES, { message: `table must be one of: ${EXPORT_TABLES.join(', ')}` })
  table: ExportTable;
}

@ApiTags('accountability')
@Controller('api/v1/accountability')
export class AccountabilityController {
  constructor(
    private readonly figures: AccountabilityService,
    private readonly exports: AccountabilityExportService,
  ) {}

  /** Swift, sure, outcomes, disparity and the twelve-month trend for the period and filters. */
  @Get('summary')
  @Roles(...ACCOUNTABILITY_ROLES)
  summary(@Query() query: AccountabilityQuery, @CurrentUser() user: SignedInUser): Promise<AccountabilitySummary> {
    return this.figures.summary(user, query);
  }

  /** One table of the summary, or the rows under it (`violations`, `unanswered`), as CSV. */
  @Get('export/:table')
  @Roles(...ACCOUNTABILITY_ROLES)
  @ApiProduces('text/csv')
  async export(
    @Param() params: ExportTableParams,
    @Query() query: AccountabilityQuery,
    @CurrentUser() user: SignedInUser,
    @Res() res: Response,
  ): Promise<void> {
    await sendAccountabilityCsv(this.exports, user, query, params.table, res);
  }
}
