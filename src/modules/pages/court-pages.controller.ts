import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { NoticesService } from '../notices/notices.service';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { normaliseCaseNumber, ReferralsService } from '../referrals/referrals.service';
import { Role } from '../../common/auth/role.enum';
import { acknowledgeable, NOTICES_SHOWN } from './page-notices';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formText } from './page-forms';
import { PageRenderer } from './page-renderer';
import { buildChain } from './page-chain';
import { ResponsesService } from '../responses/responses.service';
import { AssessmentsService } from '../assessments/assessments.service';

const REASON_SHOWN: ReferralStatus[] = [
  ReferralStatus.NonCompliant,
  ReferralStatus.Terminated,
  ReferralStatus.Closed,
  ReferralStatus.FailedToEnroll,
];

/**
 * The court clerk's lookup by case number: the case's standing in the program and the notices
 * sent to the court — nothing else about the man (no date of birth, contact or history).
 *
 * The case number travels only in a POST body: the result is shown at /lookup/<referral id>, so
 * no case number lands in the browser's history, a proxy's log or ours.
 */
@PagesController('lookup')
@PageRoles(Role.CourtClerk)
export class CourtPagesController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly notices: NoticesService,
    private readonly renderer: PageRenderer,
    private readonly responses: ResponsesService,
    private readonly assessments: AssessmentsService,
  ) {}

  /** The empty form. A case number in the query string (an old bookmark) is not read back. */
  @Get()
  form(@Req() req: PageRequest, @Res() res: Response): void {
    this.renderer.render(req, res, 'lookup', { title: 'Case lookup', caseNumber: '' });
  }

  @PageFormPost()
  async lookup(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { user, body }: SignedInForm): Promise<void> {
    const caseNumber = formText(body, 'caseNumber').toUpperCase().slice(0, 60);
    if (!caseNumber) {
      this.renderer.render(req, res, 'lookup', { title: 'Case lookup', caseNumber: '', missing: true }, 400);
      return;
    }
    // Scoped to the clerk's own court: another court's case is simply not found.
    const { items } = await this.referrals.list(user, { caseNumber, limit: 1, offset: 0 });
    if (items.length > 0) {
      res.redirect(303, `/lookup/${items[0].id}`);
      return;
    }
    // Part of a number typed, or the whole one with spaces? Offer the court's matching case numbers (numbers only, no names).
    const { caseNumbers, total } = await this.referrals.caseNumbersLike(user, caseNumber);
    const typed = normaliseCaseNumber(caseNumber);
    const same = caseNumbers.find((number) => normaliseCaseNumber(number) === typed);
    if (same) {
      const { items: exact } = await this.referrals.list(user, { caseNumber: same, limit: 1, offset: 0 });
      if (exact.length > 0) {
        res.redirect(303, `/lookup/${exact[0].id}`);
        return;
      }
    }
    this.renderer.render(
      req,
      res,
      'lookup',
      {
        title: caseNumbers.length ? 'Matching cases' : 'Case not found',
        caseNumber,
        notFound: caseNumbers.length === 0,
        partial: caseNumbers.length > 0,
        suggestions: caseNumbers,
        total,
        more: total - caseNumbers.length,
      },
      404,
    );
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @Query('acknowledged') acknowledged?: string,
  ): Promise<void> {
    const user = signedInUser(req);
    // Another court's referral is "not found", like an unknown id.
    const referral = await this.referrals.get(user, referralId);
    // The notices service scopes a clerk to the notices sent to his court.
    const notices = await this.notices.list(user, { referralId: referral.id, limit: NOTICES_SHOWN, offset: 0 });
    const responses = await this.responses.forReferral(user, referral.id);
    // The court is told the level, its date and the reason; the assessment's factors stay with the program.
    const level = referral.levelKey ? ((await this.assessments.history(user, referral.id)).find((item) => !item.superseded) ?? null) : null;
    this.renderer.render(req, res, 'lookup', {
      chain: buildChain(notices.items, responses),
      title: `Case ${referral.caseNumber}`,
      caseNumber: referral.caseNumber,
      found: {
        caseNumber: referral.caseNumber,
        name: `${referral.participant.firstName} ${referral.participant.lastName}`,
        status: referral.status,
        // Why an order ended or went wrong is the court's business; routine reasons (which group he joined) are not.
        statusReason: REASON_SHOWN.includes(referral.status) ? referral.statusReason : null,
        orderedOn: referral.orderedOn,
        enrollBy: referral.enrollBy,
        completeBy: referral.completeBy,
        policyName: referral.policy.name,
        level,
        compliance: referral.compliance,
      },
      notices: notices.items.map((notice) => ({ ...notice, canAcknowledge: acknowledgeable(user, notice) })),
      back: `/lookup/${referral.id}`,
      acknowledged: acknowledged === '1',
    });
  }
}
