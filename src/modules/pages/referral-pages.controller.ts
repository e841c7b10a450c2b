import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { CaseloadService, STANDING_ORDER } from '../compliance/caseload.service';
import { AuditService } from '../audit/audit.service';
import { ProgramClock } from '../../config/program-clock';
import { eventLabel } from '../../common/program/labels';
import {
  CASELOAD_COLUMNS,
  CASELOAD_PAGE_SIZE,
  caseloadLink,
  caseloadOptions,
  CaseloadView,
  readCaseloadView,
  SEARCH_LIMIT,
  streamCaseloadCsv,
} from './caseload-view';
import { NoticesService } from '../notices/notices.service';
import { ProgressReportService } from '../reports/progress-report.service';
import { DomainError } from '../../common/errors/domain-error';
import { heldMarksOf, ReferralHistoryService } from '../referrals/referral-history.service';
import { ReferralLifecycleService } from '../referral-lifecycle/referral-lifecycle.service';
import { formText } from './page-forms';
import { isOpen, ReferralStatus } from '../../common/program/referral-status.enum';
import { ReferralsService } from '../referrals/referrals.service';
import { Role } from '../../common/auth/role.enum';
import { acknowledgeable, NOTICES_SHOWN } from './page-notices';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFlags, PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { STANDING_LABELS } from './page-format';
import { inlinePdf } from '../notices/pdf-file-names';
import { PageRenderer } from './page-renderer';
import { buildChain } from './page-chain';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { PoliciesService } from '../policies/policies.service';
import { describeRecipients, recipientsOf } from '../referrals/program-decision-events';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
import { ResponsesService } from '../responses/responses.service';
import { FeesService } from '../fees/fees.service';
import { FeeReceiptService } from '../fees/fee-receipt.service';
import { FEE_DONE, FEE_FORMS, FeeForm, feeFormBody, feesSection } from './fee-forms';
import { AssessmentsService } from '../assessments/assessments.service';
import { assessmentForm, assessmentFormBody, AssessmentFormValues } from './assessment-form';
import { RecordAssessmentDto } from '../assessments/record-assessment.dto';
import { assessmentProblems } from '../assessments/assessment-rules';
import { domainFieldErrors, isFormProblem, validateForm } from './page-forms';

const ATTENTION: readonly string[] = ['non_compliant', 'at_risk', 'failed_to_enroll'];

const DECISION_DONE: Record<string, string> = {
  complete: 'Marked complete.',
  reinstate: 'Reinstated: he is active again.',
  terminate: 'Terminated.',
  close: 'Closed.',
};

/** The event each decision raises, so the page can say truthfully who hears of it (fees: nobody). */
const DECISION_EVENT: Partial<Record<string, ComplianceEventKind>> = {
  complete: ComplianceEventKind.Completed,
  reinstate: ComplianceEventKind.Reinstated,
  terminate: ComplianceEventKind.Terminated,
  close: ComplianceEventKind.Closed,
  enrolled: ComplianceEventKind.Enrolled,
};

/** Decisions that end the order and write to the court: asked once more before they are made. */
const CONFIRMED_DECISIONS = ['terminate', 'close'];

/** Which decisions the referral's status allows, so the page offers only those. */
function decisionsFor(status: string) {
  const open = isOpen(status as never);
  return {
    complete: status === 'active',
    reinstate: status === 'non_compliant',
    terminate: status === 'active' || status === 'non_compliant',
    close: open,
    any: open,
  };
}

/** The probation officer's caseload, and the referral page with its history, notices and report (admins share it). */
@PagesController()
export class ReferralPagesController {
  constructor(
    private readonly caseloads: CaseloadService,
    private readonly referrals: ReferralsService,
    private readonly history: ReferralHistoryService,
    private readonly notices: NoticesService,
    private readonly progressReports: ProgressReportService,
    private readonly renderer: PageRenderer,
    private readonly config: AppConfig,
    private readonly lifecycle: ReferralLifecycleService,
    private readonly responses: ResponsesService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
    private readonly fees: FeesService,
    private readonly receipts: FeeReceiptService,
    private readonly assessments: AssessmentsService,
  ) {}

  @Get('caseload')
  @PageRoles(Role.ProbationOfficer)
  async caseload(@Req() req: PageRequest, @Res() res: Response, @PageFlags() { standing, sort, dir, offset }: PageFlags): Promise<void> {
    this.renderer.countInboxNow(req);
    await this.renderCaseload(req, res, readCaseloadView({ standing, sort, dir, offset, search: '' }));
  }

  /** The caseload searched by name or case number: a POST, so neither lands in an address. */
  @PageFormPost('caseload', Role.ProbationOfficer)
  async searchCaseload(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const view = readCaseloadView({
      standing: formText(body, 'standing'),
      sort: formText(body, 'sort'),
      dir: formText(body, 'dir'),
      offset: '0',
      search: formText(body, 'search'),
    });
    await this.renderCaseload(req, res, view);
  }

  /** The caseload as CSV (the filters in the address, never a name), streamed a page at a time; audited. */
  @Get('caseload.csv')
  @PageRoles(Role.ProbationOfficer)
  async caseloadCsv(@Req() req: PageRequest, @Res() res: Response, @PageFlags() { standing, sort, dir }: PageFlags): Promise<void> {
    const view = readCaseloadView({ standing, sort, dir, offset: '0', search: '' });
    const user = signedInUser(req);
    await this.audit.record({
      action: 'caseload.export',
      recordType: 'referral',
      details: { probationOfficerId: user.id, standing: view.standing ?? null },
    });
    await streamCaseloadCsv(res, `caseload-${this.clock.today()}.csv`, (page, size) =>
      this.caseloads.caseload(user, { ...caseloadOptions(view), limit: size, offset: page * size }),
    );
  }

  private async renderCaseload(req: PageRequest, res: Response, view: CaseloadView): Promise<void> {
    const caseload = await this.caseloads.caseload(signedInUser(req), {
      ...caseloadOptions(view),
      limit: view.search ? SEARCH_LIMIT : CASELOAD_PAGE_SIZE,
      offset: view.offset,
    });
    const link = (changes: Partial<CaseloadView>) => caseloadLink({ ...view, search: '', ...changes });
    this.renderer.render(req, res, 'caseload', {
      title: 'My caseload',
      rows: caseload.items.map((entry) => ({
        ...entry,
        attention: ATTENTION.includes(entry.standing),
        whyLabel: entry.why ? eventLabel(entry.why.kind, entry.why.key) : null,
      })),
      counts: STANDING_ORDER.filter((standing) => caseload.counts[standing] > 0).map((standing) => ({
        standing,
        label: STANDING_LABELS[standing],
        count: caseload.counts[standing],
        href: link({ standing, offset: 0 }),
        current: view.standing === standing,
      })),
      allHref: link({ standing: undefined, offset: 0 }),
      filtered: Boolean(view.standing || view.search),
      standingLabel: view.standing ? STANDING_LABELS[view.standing] : null,
      total: caseload.total,
      everyone: STANDING_ORDER.reduce((sum, standing) => sum + caseload.counts[standing], 0),
      search: view.search,
      columns: CASELOAD_COLUMNS.map((column) => ({
        ...column,
        sorted: view.sort === column.sort ? (view.descending ? 'descending' : 'ascending') : null,
        // A second click on the sorted column turns it round.
        href: link({ sort: column.sort, descending: view.sort === column.sort ? !view.descending : false, offset: 0 }),
      })),
      standings: STANDING_ORDER.map((standing) => ({
        value: standing,
        label: STANDING_LABELS[standing],
        selected: standing === view.standing,
      })),
      sorts: CASELOAD_COLUMNS.map((column) => ({ value: column.sort, label: column.label, selected: column.sort === view.sort })),
      descending: view.descending,
      from: caseload.total ? view.offset + 1 : 0,
      to: view.offset + caseload.items.length,
      previous: !view.search && view.offset > 0 ? link({ offset: Math.max(0, view.offset - CASELOAD_PAGE_SIZE) }) : null,
      next:
        !view.search && view.offset + caseload.items.length < caseload.total ? link({ offset: view.offset + CASELOAD_PAGE_SIZE }) : null,
      csvHref: `/caseload.csv${caseloadLink({ ...view, search: '', offset: 0 }).slice('/caseload'.length)}`,
    });
  }

  @Get('referrals/:id')
  @PageRoles(Role.ProbationOfficer, Role.Admin)
  async referral(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @Query('created') created?: string,
    @Query('enrolled') enrolled?: string,
    @Query('acknowledged') acknowledged?: string,
    @Query('decided') decided?: string,
    @Query('fees') fees?: string,
    @Query('receipt') receipt?: string,
    @Query('assessed') assessed?: string,
  ): Promise<void> {
    this.renderer.countInboxNow(req);
    const feesDone = (FEE_DONE as Partial<Record<string, string>>)[fees ?? ''] ?? null;
    await this.renderReferral(req, res, referralId, {
      feesDone,
      // The receipt's link after a payment; the id is checked against his ledger by the PDF route.
      feesReceiptHref:
        feesDone && receipt && /^[0-9a-f-]{36}$/.test(receipt) ? `/referrals/${referralId}/fees/payments/${receipt}/receipt.pdf` : null,
      assessed: assessed === '1',
      created: created === '1',
      enrolled: enrolled === '1',
      acknowledged: acknowledged === '1',
      decidedAction: DECISION_DONE[decided ?? ''] ? decided : null,
    });
  }

  /** The program's decisions about an order, from the referral page (admins). */
  @PageFormPost('referrals/:id/decision', Role.Admin)
  async decide(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const action = formText(body, 'action');
    const reason = formText(body, 'reason').trim();
    const needsReason = ['reinstate', 'terminate', 'close'].includes(action);
    const again = this.referralAgain(req, res, referralId);
    if (!DECISION_DONE[action]) return again({ decisionError: 'Choose what to do.' }, 400);
    if (needsReason && reason.length < 3)
      return again(
        { decisionError: 'Give the reason (at least 3 characters): it goes on the record and in the notice of the decision.', reason },
        400,
      );
    // Terminating and closing end the order and e-mail the court: the page asks once more, saying what follows.
    if (CONFIRMED_DECISIONS.includes(action) && formText(body, 'confirmed') !== '1') return again({ confirm: { action, reason } });
    try {
      if (action === 'complete') await this.lifecycle.complete(user, referralId);
      if (action === 'reinstate') await this.lifecycle.reinstate(user, referralId, reason);
      if (action === 'terminate') await this.lifecycle.terminate(user, referralId, reason);
      if (action === 'close') await this.lifecycle.close(user, referralId, reason);
      res.redirect(303, `/referrals/${referralId}?decided=${action}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'unprocessable') throw error;
      const reasons = (error.details?.reasons as string[] | undefined) ?? [];
      await again(
        { decisionError: reasons.length ? 'He cannot be marked complete yet:' : error.message, decisionReasons: reasons, reason },
        422,
      );
    }
  }

  /** A payment, adjustment, waiver or income bracket, from the Fees section (admins). */
  @PageFormPost('referrals/:id/fees', Role.Admin)
  async recordFees(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const form = formText(body, 'form') as FeeForm;
    const again = this.referralAgain(req, res, referralId);
    if (!FEE_FORMS.includes(form)) return again({ feesError: { form: 'payment', fields: { form: ['Choose what to record.'] } } }, 400);
    const parsed = feeFormBody(form, body);
    const typed = { amount: formText(body, 'amount'), reason: formText(body, 'reason'), note: formText(body, 'note') };
    if (parsed.errors) return again({ feesError: { form, fields: parsed.errors, typed } }, 400);
    try {
      const value = parsed.value as never;
      let receipt = '';
      if (form === 'payment') receipt = `&receipt=${(await this.fees.recordPayment(user, referralId, value)).id}`;
      if (form === 'adjustment') await this.fees.recordAdjustment(user, referralId, value);
      if (form === 'waiver') await this.fees.recordWaiver(user, referralId, value);
      if (form === 'income-bracket') await this.fees.setIncomeBracket(user, referralId, parsed.value);
      res.redirect(303, `/referrals/${referralId}?fees=${form}${receipt}#fees-heading`);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      await again({ feesError: { form, fields: domainFieldErrors(error) ?? { form: [error.message] }, typed } }, 422);
    }
  }

  /** A payment's receipt, reached with the page session. */
  @Get('referrals/:id/fees/payments/:paymentId/receipt.pdf')
  @PageRoles(Role.ProbationOfficer, Role.Admin)
  async feeReceipt(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @Param('paymentId', ParseUUIDPipe) paymentId: string,
  ): Promise<void> {
    const { pdf, fileName } = await this.receipts.render(signedInUser(req), referralId, paymentId);
    res.type('application/pdf').setHeader('Content-Disposition', inlinePdf(fileName));
    res.send(pdf);
  }

  /** The program records an intake assessment from the referral page; the level sets his sessions and complete-by. */
  @PageFormPost('referrals/:id/assessment', Role.Admin)
  async assess(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const again = this.referralAgain(req, res, referralId);
    const referral = await this.referrals.get(user, referralId, { audit: false });
    const policy = await this.policies.get(referral.policy.id);
    const { plain, values } = assessmentFormBody(body, policy.assessmentFactors);
    const form = await validateForm(RecordAssessmentDto, plain);
    if (form.errors) {
      // Everything wrong at once: what the policy's rules say too (a factor left unanswered), beside what the shape says.
      const problems = assessmentProblems(plain as unknown as RecordAssessmentDto, policy, referral.orderedOn, this.clock.today());
      return again({ assessmentValues: values, assessmentErrors: { ...problems, ...form.errors } }, 400);
    }
    try {
      await this.assessments.record(user, referralId, form.value);
      res.redirect(303, `/referrals/${referralId}?assessed=1#assessment-heading`);
    } catch (error) {
      const fields = domainFieldErrors(error);
      if (!fields) throw error;
      await again({ assessmentValues: values, assessmentErrors: fields }, 422);
    }
  }

  /** The referral page drawn again after one of its forms, with what went wrong or what to confirm. */
  private referralAgain(req: PageRequest, res: Response, referralId: string) {
    return (extra: Record<string, unknown>, status = 200) => this.renderReferral(req, res, referralId, extra, status);
  }

  private async renderReferral(
    req: PageRequest,
    res: Response,
    referralId: string,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    // His attendance history waits for the reach check his record's read makes (remembered for this
    // request: else the 404 and nothing read), then is read beside his record; his compliance block
    // is counted from its marks, not from a read of the same marks of its own.
    // His events come with his enrollments (statusSince below reads none of its own).
    const historyRead = this.history.attendance(user, referralId, { statusEvents: true });
    const marks = historyRead.then(heldMarksOf);
    // Out of reach, both fail with the 404 that the record's read answers first: not unhandled.
    void marks.catch(() => undefined);
    const referral = await this.referrals.get(user, referralId, { enrollments: false, marks });
    // The rest are independent reads, each audited in its own statement: sent together, the page
    // waits for the slowest of them rather than for their sum. The access check they each make is
    // the one just made (remembered for this request).
    const [history, notices, responses, policy, statusSince, ledger] = await Promise.all([
      historyRead,
      this.notices.list(user, { referralId, limit: NOTICES_SHOWN, offset: 0 }),
      this.responses.forReferral(user, referralId),
      this.policies.get(referral.policy.id),
      this.history.statusSince(referralId, referral.status),
      this.fees.ledger(user, referralId),
    ]);
    const told = (action: string) => {
      const event = DECISION_EVENT[action];
      return event ? describeRecipients(recipientsOf(policy.noticeRecipients, event)) : null;
    };
    const decidedAction = extra.decidedAction as string | null | undefined;
    const toldOfDecision = decidedAction ? told(decidedAction) : null;
    const confirm = extra.confirm as { action: string; reason: string } | undefined;
    const assessments = user.role === Role.CourtClerk || !policy.levels.length ? [] : await this.assessments.history(user, referralId);
    const requirementsMet =
      (referral.compliance?.sessionsAttended ?? 0) >= (referral.compliance?.sessionsRequired ?? Infinity) &&
      (!referral.policy.feesRequired || Boolean(referral.feesPaid));
    const feesError = extra.feesError as { form: string; fields: Record<string, string[]>; typed?: Record<string, string> } | undefined;
    this.renderer.render(
      req,
      res,
      'referral',
      {
        decided: decidedAction
          ? `${DECISION_DONE[decidedAction]}${toldOfDecision ? ` ${capitalise(toldOfDecision)} ${toldOfDecision === 'nobody outside the program' ? 'is' : 'are being'} told.` : ''}`
          : null,
        enrolledTold: told('enrolled'),
        decisionTold: { reinstate: told('reinstate'), terminate: told('terminate'), close: told('close'), complete: told('complete') },
        chain: buildChain(notices.items, responses),
        title: `${referral.participant.firstName} ${referral.participant.lastName} — ${referral.caseNumber}`,
        referral,
        // The crossing's day (a 5 Nov absence typed in on 1 Dec reads "since Nov 5"); else when it changed.
        statusSince: statusSince ?? referral.statusChangedAt,
        attendance: [...history.attendance].reverse(),
        enrollments: history.enrollments,
        notices: notices.items.map((notice) => ({ ...notice, canAcknowledge: acknowledgeable(user, notice) })),
        noticesTruncated: notices.total > notices.items.length,
        back: req.path,
        isAdmin: user.role === Role.Admin,
        canEnroll: user.role === Role.Admin && isOpen(referral.status),
        decisions: user.role === Role.Admin ? decisionsFor(referral.status) : null,
        fees: { ...feesSection(ledger, referralId), canRecord: user.role === Role.Admin },
        // "Mark complete" leads only when he has met the requirements; at 0 of 24 it is a plain button.
        completeIsPrimary: requirementsMet,
        levelled: policy.levels.length > 0,
        currentAssessment: assessments.find((item) => !item.superseded) ?? null,
        assessments,
        assessment:
          user.role === Role.Admin && policy.levels.length
            ? assessmentForm(
                policy,
                (extra.assessmentValues as AssessmentFormValues | undefined) ?? null,
                (extra.assessmentErrors as Record<string, string[]> | undefined) ?? {},
                this.clock.today(),
                isOpen(referral.status),
              )
            : null,
        assessed: extra.assessed ?? null,
        ...extra,
        feesError: feesError ? { ...feesError, [feesError.form]: true, messages: Object.values(feesError.fields).flat() } : null,
        confirm: confirm
          ? {
              ...confirm,
              terminate: confirm.action === 'terminate',
              told: told(confirm.action),
              // The rules allow a way back from non-compliance (reinstate), never from an ended order.
              mayReinstateInstead: referral.status === ReferralStatus.NonCompliant,
              enrolled: history.enrollments.some((enrollment) => !enrollment.endDate),
            }
          : null,
      },
      status,
    );
  }

  /** The API's progress report, reached with the page session (a link cannot carry a bearer token). */
  @Get('referrals/:id/progress-report.pdf')
  @PageRoles(Role.ProbationOfficer, Role.Admin)
  async progressReport(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) referralId: string): Promise<void> {
    const { pdf, fileName } = await this.progressReports.renderNamed(signedInUser(req), referralId);
    res.type('application/pdf').setHeader('Content-Disposition', inlinePdf(fileName));
    res.send(pdf);
  }
}
