import { Get, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { NoticesService } from '../notices/notices.service';
import { ResponsesService } from '../responses/responses.service';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PagesController } from './page-controller.decorator';
import { buildChain } from './page-chain';
import { PageRenderer } from './page-renderer';

const NOTICES_READ = 200;

/**
 * The CCR coordinator's view across agencies: each recent event, its notices, who acknowledged
 * them and what probation and the court did — read only, with no victim data and no notes.
 */
@PagesController('coordinator')
@PageRoles(Role.Coordinator)
export class CoordinatorPagesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly responses: ResponsesService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async overview(@Req() req: PageRequest, @Res() res: Response, @Query('unanswered') unanswered?: string): Promise<void> {
    const page = await this.notices.list(signedInUser(req), { limit: NOTICES_READ, offset: 0 });
    const responses = await this.responses.forEvents([...new Set(page.items.map((notice) => notice.eventId))]);
    const caseOf = new Map(page.items.map((notice) => [notice.eventId, notice.caseNumber]));
    const onlyUnanswered = unanswered === '1';
    const chain = buildChain(page.items, responses)
      .map((link) => ({ ...link, caseNumber: caseOf.get(link.eventId) }))
      .filter((link) => !onlyUnanswered || link.unanswered);
    this.renderer.render(req, res, 'coordinator', {
      title: 'Responses across agencies',
      chain,
      onlyUnanswered,
      unansweredCount: buildChain(page.items, responses).filter((link) => link.unanswered).length,
      truncated: page.total > page.items.length,
    });
  }
}
