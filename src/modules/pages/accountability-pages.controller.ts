import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Response } from 'express';
import { fieldMessages } from '../../common/errors/validation-errors';
import { NotFoundError } from '../../common/errors/domain-error';
import { sendAccountabilityCsv } from '../accountability/accountability-csv';
import { AccountabilityExportService, EXPORT_TABLES, ExportTable } from '../accountability/accountability-export.service';
import { accountabilityPageModel } from '../accountability/accountability-page.model';
import { AccountabilityQuery } from '../accountability/accountability-query.dto';
import { AccountabilityService } from '../accountability/accountability.service';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PagesController } from './page-controller.decorator';
import { fieldId } from './page-format';
import { PageRenderer } from './page-renderer';

const FIELD_LABELS: Record<string, string> = {
  from: 'From',
  to: 'To',
  courtId: 'Court',
  probationAgencyId: 'Probation department',
  policyId: 'Policy',
  groupId: 'Group',
  language: 'Language',
};

/** The filters as typed into the form: empty fields are "any", unknown ones are dropped, the rest validated as the API does. */
function readFilters(raw: Record<string, unknown>): { query: AccountabilityQuery; fields: Record<string, string[]> } {
  const known = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => key in FIELD_LABELS && typeof value === 'string' && value.trim() !== ''),
  );
  const query = plainToInstance(AccountabilityQuery, known);
  const fields = fieldMessages(validateSync(query, { whitelist: true }));
  return { query, fields };
}

/**
 * The accountability view for the interagency meeting: the figures, a chart above each table,
 * the filters as a GET form, CSV downloads and a print stylesheet. No script is needed.
 */
@PagesController('accountability')
@PageRoles(Role.Admin, Role.Coordinator, Role.ProbationOfficer, Role.CourtClerk)
export class AccountabilityPagesController {
  constructor(
    private readonly figures: AccountabilityService,
    private readonly exports: AccountabilityExportService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async view(@Req() req: PageRequest, @Res() res: Response, @Query() raw: Record<string, unknown>): Promise<void> {
    const user = signedInUser(req);
    const { query, fields } = readFilters(raw);
    const invalid = Object.keys(fields).length > 0;
    // With a bad filter the page says which and shows the default period instead of nothing.
    const shown = invalid ? new AccountabilityQuery() : query;
    const [summary, options] = await Promise.all([this.figures.summary(user, shown), this.figures.filterOptions(user)]);
    const selected = (list: Array<{ value: string; label: string }>, value: string | undefined) =>
      list.map((option) => ({ ...option, selected: option.value === value }));
    this.renderer.render(
      req,
      res,
      'accountability',
      {
        title: 'Accountability',
        ...accountabilityPageModel(summary, shown),
        form: {
          from: query.from ?? summary.period.from,
          to: query.to ?? summary.period.to,
          courts: selected(options.courts, query.courtId),
          probationAgencies: selected(options.probationAgencies, query.probationAgencyId),
          policies: selected(options.policies, query.policyId),
          groups: selected(options.groups, query.groupId),
          languages: selected(options.languages, query.language?.toLowerCase()),
          errors: fields,
        },
        errorSummary: {
          show: invalid,
          heading: 'Check the filters',
          links: Object.keys(fields).map((name) => ({
            id: fieldId(name),
            label: `${FIELD_LABELS[name] ?? name}: ${fields[name].join('; ')}`,
          })),
        },
        scopeNote: summary.scope === 'agency' ? 'These figures cover the orders of your own agency only.' : null,
      },
      invalid ? 400 : 200,
    );
  }

  /** A table of the page, or the rows under it, as CSV (the same filters). */
  @Get('export/:table')
  async export(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('table') table: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    if (!(EXPORT_TABLES as readonly string[]).includes(table)) throw new NotFoundError('export');
    const { query, fields } = readFilters(raw);
    if (Object.keys(fields).length > 0) throw new NotFoundError('export');
    await sendAccountabilityCsv(this.exports, signedInUser(req), query, table as ExportTable, res);
  }
}
