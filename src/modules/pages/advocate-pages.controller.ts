import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ProtectedPartiesService } from '../protected-parties/protected-parties.service';
import { CONTACT_CHANNELS, CreateProtectedPartyDto, RecordVictimNotificationDto } from '../protected-parties/protected-party.dto';
import { NotificationWish } from '../protected-parties/protected-party.entity';
import { VictimNotificationsService } from '../protected-parties/victim-notifications.service';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { FieldErrors, fieldsOf, formText, isFormProblem, oneOf, plainEmptyMessages, validateForm } from './page-forms';
import { CONTACT_CHANNEL_LABELS, errorLinks } from './page-format';
import { PageRenderer } from './page-renderer';

const PARTY_FIELDS = ['name', 'relationship', 'phone', 'email', 'address', 'safetyNotes', 'preferredChannel', 'notificationWish'] as const;
const WISH_LABELS: Record<NotificationWish, string> = { wants: 'Wants to be told', declined: 'Declined', not_asked: 'Not asked yet' };
const OPTIONAL_PARTY_FIELDS = ['phone', 'email', 'address', 'safetyNotes'] as const;
const PARTY_EMPTY_MESSAGES = {
  name: 'Enter her name',
  relationship: 'Say how she is related to him (e.g. former partner)',
  preferredChannel: 'Choose how she prefers to be reached',
  notificationWish: 'Say whether she wants to be told',
};
const DONE_MESSAGES: Record<string, string> = {
  updated: 'Her details are updated.',
  added: 'Saved. Her details are stored encrypted and only advocates can see them.',
  queued: 'The e-mail is on its way. This page shows when the mail server has taken it (reload to see).',
  recorded: 'Recorded.',
  skipped: 'Closed without telling her; your reason is kept.',
};

/**
 * The advocate's pages: the notifications waiting for a decision, the cases with protected
 * parties, and one case with her details. Only advocates reach them; the pages call the same
 * services as the API, so the same sealing and auditing apply.
 */
@PagesController('advocate')
@PageRoles(Role.Advocate)
export class AdvocatePagesController {
  constructor(
    private readonly parties: ProtectedPartiesService,
    private readonly notifications: VictimNotificationsService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  home(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    return this.renderHome(req, res, {});
  }

  /** By POST, so the case number stays out of addresses and logs. */
  @PageFormPost('lookup')
  async lookup(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const caseNumber = formText(body, 'caseNumber').toUpperCase().slice(0, 60);
    if (!caseNumber) return this.renderHome(req, res, { caseNumber, lookupProblem: 'Enter a case number.' }, 400);
    const { items } = await this.parties.advocateReferrals(1, 0, { caseNumber });
    if (items[0]) {
      res.redirect(303, `/advocate/referrals/${items[0].id}`);
      return;
    }
    return this.renderHome(req, res, { caseNumber, lookupProblem: `No case ${caseNumber} is referred to the program.` }, 404);
  }

  @Get('referrals/:id')
  async referral(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderCase(req, res, id, { done: done && DONE_MESSAGES[done] ? DONE_MESSAGES[done] : null });
  }

  @PageFormPost('referrals/:id/parties')
  async addParty(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const values: Record<string, string> = Object.fromEntries(PARTY_FIELDS.map((name) => [name, formText(body, name)]));
    // Optional fields left empty are absent, as when an API client leaves them out.
    const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    const form = await validateForm(CreateProtectedPartyDto, plain);
    values.noProgramContact = formText(body, 'noProgramContact');
    if (form.errors) {
      const errors = plainEmptyMessages(form.errors, values, PARTY_EMPTY_MESSAGES);
      return this.renderCase(req, res, id, { form: { values, errors }, errorLinks: errorLinks(errors) }, 400);
    }
    await this.parties.create(user, id, {
      ...fieldsOf(form.value),
      noProgramContact: formText(body, 'noProgramContact') === 'yes',
    });
    res.redirect(303, `/advocate/referrals/${id}?done=added`);
  }

  @Get('parties/:id/edit')
  async editParty(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const party = await this.parties.one(signedInUser(req), id);
    const values = Object.fromEntries(PARTY_FIELDS.map((name) => [name, (party as unknown as Record<string, string | null>)[name] ?? '']));
    values.noProgramContact = party.noProgramContact ? 'yes' : '';
    await this.renderEdit(req, res, party.id, party.referralId, { values, errors: {} });
  }

  /** Every field is sent; one left empty is cleared (optional ones) or refused (required ones). */
  @PageFormPost('parties/:id/edit')
  async updateParty(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const party = await this.parties.one(user, id);
    const values: Record<string, string> = Object.fromEntries(PARTY_FIELDS.map((name) => [name, formText(body, name)]));
    const present = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    const form = await validateForm(CreateProtectedPartyDto, present);
    values.noProgramContact = formText(body, 'noProgramContact');
    if (form.errors) {
      const errors = plainEmptyMessages(form.errors, values, PARTY_EMPTY_MESSAGES);
      return this.renderEdit(req, res, id, party.referralId, { values, errors }, 400);
    }
    const cleared = Object.fromEntries(OPTIONAL_PARTY_FIELDS.filter((name) => values[name] === '').map((name) => [name, null]));
    await this.parties.update(user, id, {
      ...fieldsOf(form.value),
      ...cleared,
      noProgramContact: formText(body, 'noProgramContact') === 'yes',
    });
    res.redirect(303, `/advocate/referrals/${party.referralId}?done=updated`);
  }

  @PageFormPost('notifications/:id/send')
  async send(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const message = formText(body, 'message').slice(0, 2000);
    try {
      const result = await this.notifications.sendEmail(user, id, message || undefined);
      res.redirect(303, `/advocate/referrals/${result.referralId}?done=queued#notification-${id}`);
    } catch (error) {
      await this.showProblem(req, res, id, error);
    }
  }

  @PageFormPost('notifications/:id/record')
  async record(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const form = await validateForm(RecordVictimNotificationDto, { channel: formText(body, 'channel'), note: formText(body, 'note') });
    if (form.errors) return this.showProblem(req, res, id, null, form.errors);
    try {
      const result = await this.notifications.record(user, id, form.value);
      res.redirect(303, `/advocate/referrals/${result.referralId}?done=recorded`);
    } catch (error) {
      await this.showProblem(req, res, id, error);
    }
  }

  @PageFormPost('notifications/:id/skip')
  async skip(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const note = formText(body, 'note');
    if (!note) return this.showProblem(req, res, id, null, { note: ['Say why she is not told'] });
    try {
      const result = await this.notifications.skip(user, id, note.slice(0, 2000));
      res.redirect(303, `/advocate/referrals/${result.referralId}?done=skipped`);
    } catch (error) {
      await this.showProblem(req, res, id, error);
    }
  }

  /** A refused action is shown on its case page, beside the notification it concerned. */
  private async showProblem(req: PageRequest, res: Response, notificationId: string, error: unknown, errors?: FieldErrors): Promise<void> {
    // Field errors come without an error; a refusal comes as the error the service threw.
    if (!errors && !isFormProblem(error)) throw error;
    const notification = await this.notifications.get(notificationId);
    const problem = errors ? Object.values(errors).flat().join(' ') : (error as Error).message;
    const status = errors ? 400 : (error as { kind?: string }).kind === 'conflict' ? 409 : 422;
    await this.renderCase(req, res, notification.referralId, { problem: { notificationId, message: problem } }, status);
  }

  private async renderHome(req: PageRequest, res: Response, model: Record<string, unknown>, status = 200): Promise<void> {
    const [waiting, cases] = await Promise.all([
      this.notifications.list({ open: true, limit: 100, offset: 0 }),
      this.parties.advocateReferrals(50, 0),
    ]);
    this.renderer.render(
      req,
      res,
      'advocate',
      { title: 'Victim notification', waiting: waiting.items, cases: cases.items, casesTotal: cases.total, ...model },
      status,
    );
  }

  private async renderEdit(
    req: PageRequest,
    res: Response,
    id: string,
    referralId: string,
    form: { values: Record<string, string>; errors: FieldErrors },
    status = 200,
  ): Promise<void> {
    const referral = await this.parties.advocateReferral(referralId);
    const wish = oneOf(Object.values(NotificationWish), form.values.notificationWish);
    this.renderer.render(
      req,
      res,
      'advocate-party',
      {
        title: `Edit protected party — case ${referral.caseNumber}`,
        referral,
        partyId: id,
        form,
        errorLinks: errorLinks(form.errors),
        channelOptions: CONTACT_CHANNELS.map((value) => ({
          value,
          label: CONTACT_CHANNEL_LABELS[value],
          selected: form.values.preferredChannel === value,
        })),
        wishOptions: Object.values(NotificationWish).map((value) => ({ value, label: WISH_LABELS[value], selected: value === wish })),
      },
      status,
    );
  }

  private async renderCase(
    req: PageRequest,
    res: Response,
    referralId: string,
    model: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const referral = await this.parties.advocateReferral(referralId);
    const [parties, notifications] = await Promise.all([
      this.parties.list(user, referralId),
      this.notifications.list({ referralId, limit: 100, offset: 0 }),
    ]);
    const values = (model.form as { values?: Record<string, string> } | undefined)?.values ?? {};
    const wish = oneOf(Object.values(NotificationWish), values.notificationWish);
    this.renderer.render(
      req,
      res,
      'advocate-case',
      {
        title: `Case ${referral.caseNumber}`,
        referral,
        parties: parties.map((party) => ({
          ...party,
          channelLabel: CONTACT_CHANNEL_LABELS[party.preferredChannel],
          wishLabel: WISH_LABELS[party.notificationWish],
        })),
        notifications: notifications.items.map((item) => ({
          ...item,
          open: ['pending', 'failed', 'sending'].includes(item.status),
          onItsWay: item.delivery === 'on_its_way',
          unknown: item.delivery === 'not_confirmed',
          channelLabel: item.channel ? CONTACT_CHANNEL_LABELS[item.channel] : null,
        })),
        channelOptions: CONTACT_CHANNELS.map((value) => ({
          value,
          label: CONTACT_CHANNEL_LABELS[value],
          selected: values.preferredChannel === value,
        })),
        wishOptions: Object.values(NotificationWish).map((value) => ({ value, label: WISH_LABELS[value], selected: value === wish })),
        ...model,
      },
      status,
    );
  }
}
