import { addDays } from '../../src/common/dates';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { bearer, createAgency, createUser, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { pageSession } from '../security/security-fixtures';
import { waitFor } from '../helpers/wait-for';
import { freshStep, mailWithLink, totpCode } from '../accounts/account-helpers';

/**
 * The admin's settings pages over HTTP: each route's success and its answer to bad input (a 4xx
 * with the message beside the field, nothing written), every change audited.
 */
describe('admin settings pages (routes)', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    cookie = await pageSession(testApp, staff.users.admin.email);
    const page = await get('/admin/users').expect(200);
    csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  });
  afterAll(() => testApp.close());

  const get = (path: string) => testApp.http.get(path).set('Cookie', cookie).set('Accept', 'text/html');
  const post = (path: string, form: Record<string, string | string[]>) =>
    testApp.http
      .post(path)
      .set('Cookie', cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, ...form });
  /** The messages beside one field (the partials' `f-<name>-error` list). */
  const fieldError = (html: string, name: string) => {
    const match = new RegExp(`id="f-${name}-error">(.*?)</ul>`, 's').exec(html);
    return match ? [...match[1].matchAll(/<li>(.*?)<\/li>/g)].map((item) => item[1].replace(/&#x27;/g, "'").replace(/&amp;/g, '&')) : null;
  };
  const audits = async (action: string, recordId: string) =>
    await testApp.dataSource.query<Array<{ details: Record<string, unknown> }>>(
      `SELECT details FROM audit_entries WHERE action = $1 AND record_id = $2 ORDER BY occurred_at`,
      [action, recordId],
    );

  describe('users', () => {
    it('lists everybody with role and agency filters in the address, and a search by name or e-mail in the body', async () => {
      const named = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id, 'Rosalind Featherstone');
      const all = await get('/admin/users').expect(200);
      expect(all.text).toContain('Rosalind Featherstone');
      expect(all.text).toContain(`of ${Object.values(Role).length + 1},`);

      const officers = await get(`/admin/users?role=probation_officer`).expect(200);
      expect(officers.text).toContain('Rosalind Featherstone');
      expect(officers.text).not.toContain(staff.users.facilitator.email);

      const byAgency = await get(`/admin/users?agencyId=${staff.court.id}`).expect(200);
      expect(byAgency.text).toContain(staff.users.court_clerk.email);
      expect(byAgency.text).not.toContain('Rosalind Featherstone');

      const byName = await post('/admin/users', { q: 'feather' }).expect(200);
      expect(byName.text).toContain('Rosalind Featherstone');
      expect(byName.text).toContain('Showing 1–1 of 1');
      const byEmail = await post('/admin/users', { q: named.email.toUpperCase() }).expect(200);
      expect(byEmail.text).toContain('Rosalind Featherstone');
      // A typed % is a letter, not "everything".
      await expect(
        post('/admin/users', { q: '%' })
          .expect(200)
          .then((res) => res.text),
      ).resolves.toContain('Nobody matches');
    });

    it('pages through 50 at a time, a search’s next page as a form that keeps the text out of the address', async () => {
      for (let index = 0; index < 52; index += 1)
        await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, `Pager Person ${String(index).padStart(2, '0')}`);
      const first = await get('/admin/users?role=facilitator').expect(200);
      expect(first.text).toMatch(/Showing 1–50 of 5\d/);
      expect(first.text).toContain('href="/admin/users?role&#x3D;facilitator&amp;offset&#x3D;50"');
      const second = await get('/admin/users?role=facilitator&offset=50').expect(200);
      expect(second.text).toMatch(/Showing 51–5\d of 5\d/);

      const search = await post('/admin/users', { q: 'Pager Person' }).expect(200);
      expect(search.text).toContain('Showing 1–50 of 52');
      expect(search.text).toContain('name="offset" value="50"');
      expect(search.text).not.toContain('q=Pager');
      const next = await post('/admin/users', { q: 'Pager Person', offset: '50' }).expect(200);
      expect(next.text).toContain('Showing 51–52 of 52');
    });

    it('moves a user to another role and agency (audited, his sessions ended), refusing a role his agency does not hold beside the field', async () => {
      const clerk = await createUser(testApp.dataSource, Role.CourtClerk, staff.court.id, 'Movable Clerk');
      const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court, 'Second Judicial District');
      const wrong = await post(`/admin/users/${clerk.id}/role`, { role: 'probation_officer', agencyId: otherCourt.id }).expect(422);
      expect(fieldError(wrong.text, 'agencyId')![0]).toContain('A probation officer works for a probation agency');
      const empty = await post(`/admin/users/${clerk.id}/role`, { role: '', agencyId: '' }).expect(400);
      expect(fieldError(empty.text, 'role')).toEqual(['Choose a role']);
      expect(fieldError(empty.text, 'agencyId')).toEqual(['Choose the agency the person works for']);
      expect((await testApp.dataSource.query(`SELECT role, agency_id FROM users WHERE id = $1`, [clerk.id]))[0]).toEqual({
        role: 'court_clerk',
        agency_id: staff.court.id,
      });

      await post(`/admin/users/${clerk.id}/role`, { role: 'court_clerk', agencyId: otherCourt.id })
        .expect(303)
        .expect('Location', `/admin/users/${clerk.id}?saved=role`);
      expect((await testApp.dataSource.query(`SELECT agency_id, token_version FROM users WHERE id = $1`, [clerk.id]))[0]).toEqual({
        agency_id: otherCourt.id,
        token_version: 1,
      });
      expect(await audits('user.reassign', clerk.id)).toEqual([
        { details: { from: { role: 'court_clerk', agencyId: staff.court.id }, to: { role: 'court_clerk', agencyId: otherCourt.id } } },
      ]);
      await expect(
        get(`/admin/users/${clerk.id}?saved=role`)
          .expect(200)
          .then((res) => res.text),
      ).resolves.toContain('Second Judicial District');
    });

    it('keeps a probation officer with open cases, and the admin himself, in their roles', async () => {
      await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
      const officer = await post(`/admin/users/${staff.users.probation_officer.id}/role`, {
        role: 'court_clerk',
        agencyId: staff.court.id,
      }).expect(422);
      expect(fieldError(officer.text, 'role')![0]).toMatch(/is the probation officer of \d+ open referral/);
      const self = await post(`/admin/users/${staff.users.admin.id}/role`, { role: 'facilitator', agencyId: staff.program.id }).expect(422);
      expect(fieldError(self.text, 'role')).toEqual(['You cannot change your own role; another admin can']);
    });

    it('deactivates (sessions end, sign-in refused) and reactivates, but never the admin’s own account', async () => {
      const advocate = await createUser(testApp.dataSource, Role.Advocate, staff.advocacy.id, 'Leaving Advocate');
      const theirs = await pageSession(testApp, advocate.email);
      await post(`/admin/users/${advocate.id}/active`, { active: 'false' })
        .expect(303)
        .expect('Location', `/admin/users/${advocate.id}?saved=inactive`);
      await testApp.http.get('/advocate').set('Cookie', theirs).expect(303);
      await testApp.http.post('/api/v1/auth/login').send({ email: advocate.email, password: 'correct horse battery staple' }).expect(401);
      await post(`/admin/users/${advocate.id}/active`, { active: 'true' })
        .expect(303)
        .expect('Location', `/admin/users/${advocate.id}?saved=active`);
      await testApp.http.post('/api/v1/auth/login').send({ email: advocate.email, password: 'correct horse battery staple' }).expect(200);
      expect((await audits('user.update', advocate.id)).map((entry) => entry.details.active)).toEqual([false, true]);

      const self = await post(`/admin/users/${staff.users.admin.id}/active`, { active: 'false' }).expect(422);
      expect(self.text).toContain('You cannot deactivate your own account');
      await post(`/admin/users/${advocate.id}/active`, { active: 'maybe' }).expect(400);
      await get(`/admin/users/${advocate.id}`).expect(200);
    });

    it('unlocks sign-in after five wrong passwords (audited)', async () => {
      const locked = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Forgetful Facilitator');
      for (let attempt = 0; attempt < 5; attempt += 1)
        await testApp.http.post('/api/v1/auth/login').send({ email: locked.email, password: 'wrong password here' });
      const refused = await testApp.http.post('/api/v1/auth/login').send({ email: locked.email, password: 'correct horse battery staple' });
      expect(refused.status).toBe(423);
      await post(`/admin/users/${locked.id}/unlock`, {}).expect(303).expect('Location', `/admin/users/${locked.id}?saved=unlocked`);
      await testApp.http.post('/api/v1/auth/login').send({ email: locked.email, password: 'correct horse battery staple' }).expect(200);
      expect(await audits('user.unlock', locked.id)).toHaveLength(1);
    });

    it('answers the invitation form’s bad input beside each field and sends nothing', async () => {
      await get('/admin/users/invite').expect(200);
      const before = testApp.smtp.received.length;
      const response = await post('/admin/users/invite', { name: '', email: 'not-an-address', role: 'nobody', agencyId: 'x' }).expect(400);
      expect(fieldError(response.text, 'name')).toEqual(['Enter the person’s name']);
      expect(fieldError(response.text, 'email')).toEqual(['Enter an e-mail address, like name@agency.gov']);
      expect(fieldError(response.text, 'role')).toEqual(['Choose a role']);
      expect(fieldError(response.text, 'agencyId')).toEqual(['Choose the agency the person works for']);
      const taken = await post('/admin/users/invite', {
        name: 'Twice Over',
        email: staff.users.facilitator.email,
        role: 'facilitator',
        agencyId: staff.program.id,
      });
      expect(taken.status).toBe(409);
      expect(fieldError(taken.text, 'email')).toEqual(['Somebody already has an account with this e-mail address']);
      expect(testApp.smtp.received.length).toBe(before);
    });

    it('invites by e-mail the way POST /api/v1/users does without a password, and sends the invitation again with a new link', async () => {
      const invited = await post('/admin/users/invite', {
        name: 'Nadia Petrov',
        email: 'Nadia.Petrov@Program.test',
        role: 'facilitator',
        agencyId: staff.program.id,
      })
        .expect(303)
        .expect('Location', '/admin/users?invited=1');
      expect(invited.headers.location).not.toContain('nadia');
      const [user] = await testApp.dataSource.query(
        `SELECT id, active, password_hash IS NULL AS pending FROM users WHERE email = 'nadia.petrov@program.test'`,
      );
      expect(user).toMatchObject({ active: false, pending: true });
      const first = await mailWithLink(testApp, 'nadia.petrov@program.test', '/invitation');
      expect(await audits('user.invite', user.id)).toHaveLength(1);
      const page = await get(`/admin/users/${user.id}`).expect(200);
      expect(page.text).toContain('invited, no password chosen yet');
      expect(page.text).not.toContain('Reactivate the account');

      await post(`/admin/users/${user.id}/invitation`, {}).expect(303).expect('Location', `/admin/users/${user.id}?saved=invited`);
      const second = await mailWithLink(testApp, 'nadia.petrov@program.test', '/invitation', 1);
      expect(second.link.hash).not.toBe(first.link.hash);
      expect(await audits('user.invitation_resent', user.id)).toHaveLength(1);
      // Somebody with a password is not invited again.
      const refused = await post(`/admin/users/${staff.users.facilitator.id}/invitation`, {}).expect(409);
      expect(refused.text).toContain('has already chosen a password');
    });

    it('resets a user’s second factor from his page: the factor gone, his sessions ended (audited)', async () => {
      const clerk = await createUser(testApp.dataSource, Role.CourtClerk, staff.court.id, 'Lost Phone Clerk');
      const token = (
        await testApp.http.post('/api/v1/auth/login').send({ email: clerk.email, password: 'correct horse battery staple' }).expect(200)
      ).body.accessToken as string;
      const started = await testApp.http.post('/api/v1/auth/second-factor').set(bearer(token)).expect(200);
      await freshStep();
      await testApp.http
        .post('/api/v1/auth/second-factor/confirm')
        .set(bearer(token))
        .send({ code: totpCode(started.body.secret) })
        .expect(200);
      const before = await get(`/admin/users/${clerk.id}`).expect(200);
      expect(before.text).toContain('Reset the second factor');

      await post(`/admin/users/${clerk.id}/second-factor/reset`, {})
        .expect(303)
        .expect('Location', `/admin/users/${clerk.id}?saved=factor`);
      expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM second_factors WHERE user_id = $1`, [clerk.id]))[0].n).toBe(0);
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
      expect(await audits('user.second_factor_reset', clerk.id)).toEqual([{ details: { hadFactor: true } }]);
      const after = await get(`/admin/users/${clerk.id}?saved=factor`).expect(200);
      expect(after.text).toContain('Second factor reset');
      expect(after.text).not.toContain('Reset the second factor</button>');
    });

    it('answers an unknown user with the 404 page', async () => {
      await get('/admin/users/00000000-0000-4000-8000-000000000000').expect(404);
      await post('/admin/users/00000000-0000-4000-8000-000000000000/unlock', {}).expect(404);
    });
  });

  describe('agencies', () => {
    it('lists them and saves a name and notice address (audited by field, never the address)', async () => {
      const court = await createAgency(testApp.dataSource, AgencyKind.Court, 'Lake County Court');
      await expect(
        get('/admin/agencies')
          .expect(200)
          .then((res) => res.text),
      ).resolves.toContain('Lake County Court');
      await post(`/admin/agencies/${court.id}`, {
        name: 'Lake County District Court',
        noticeEmail: 'Notices@Lake.Example.gov',
        kind: 'court',
      })
        .expect(303)
        .expect('Location', `/admin/agencies/${court.id}?saved=1`);
      expect((await testApp.dataSource.query(`SELECT name, notice_email FROM agencies WHERE id = $1`, [court.id]))[0]).toEqual({
        name: 'Lake County District Court',
        notice_email: 'notices@lake.example.gov',
      });
      const [entry] = await audits('agency.update', court.id);
      expect(entry.details).toEqual({ fields: ['name', 'kind', 'noticeEmail'] });
      expect(JSON.stringify(entry.details)).not.toContain('lake.example');
    });

    it('refuses a bad address, an empty one for a court, and a kind others depend on, beside the field', async () => {
      const bad = await post(`/admin/agencies/${staff.court.id}`, { name: 'Court', noticeEmail: 'not an address', kind: 'court' }).expect(
        400,
      );
      expect(fieldError(bad.text, 'noticeEmail')).toEqual(['Enter an e-mail address, like notices@court.example.gov']);
      const empty = await post(`/admin/agencies/${staff.court.id}`, { name: 'Court', noticeEmail: '', kind: 'court' }).expect(422);
      expect(fieldError(empty.text, 'noticeEmail')).toEqual(['A court or probation department needs an address for its notices']);
      const kind = await post(`/admin/agencies/${staff.court.id}`, {
        name: 'Court',
        noticeEmail: 'court@agency.test',
        kind: 'advocacy',
      }).expect(422);
      expect(fieldError(kind.text, 'kind')![0]).toMatch(/^The kind cannot change: \d+ users?/);
      const [row] = await testApp.dataSource.query(`SELECT kind, notice_email FROM agencies WHERE id = $1`, [staff.court.id]);
      expect(row.kind).toBe('court');
      expect(row.notice_email).not.toBe('court@agency.test');
    });

    it('corrects the kind of an agency nothing depends on yet', async () => {
      const mistaken = await createAgency(testApp.dataSource, AgencyKind.Advocacy, 'County Probation (typed in as advocacy)');
      await post(`/admin/agencies/${mistaken.id}`, {
        name: 'County Probation',
        noticeEmail: 'probation@county.example.gov',
        kind: 'probation',
      }).expect(303);
      expect((await testApp.dataSource.query(`SELECT kind FROM agencies WHERE id = $1`, [mistaken.id]))[0].kind).toBe('probation');
      expect((await audits('agency.update', mistaken.id))[0].details.kind).toEqual({ from: 'advocacy', to: 'probation' });
    });

    it('sends a test e-mail through the outbox to the notice address and shows how it went (audited, the address not in the trail)', async () => {
      const court = await createAgency(testApp.dataSource, AgencyKind.Court, 'Itasca County Court');
      await post(`/admin/agencies/${court.id}/test-mail`, {}).expect(303).expect('Location', `/admin/agencies/${court.id}?tested=1`);
      const mail = await waitFor(() => testApp.smtp.received.find((received) => received.to.includes(court.noticeEmail!)), {
        what: 'the test e-mail',
      });
      expect(mail.raw).toContain('Throughline test e-mail for Itasca County Court');
      await waitFor(async () => (await get(`/admin/agencies/${court.id}`).expect(200)).text.includes('notice-status--sent'), {
        what: 'the page showing it sent',
      });
      const [entry] = await audits('agency.test_mail', court.id);
      expect(Object.keys(entry.details)).toEqual(['mailId']);
      expect(JSON.stringify(entry.details)).not.toContain(court.noticeEmail!);
    });

    it('shows a refused test e-mail with the server’s answer, and refuses a second one while the first is on its way', async () => {
      const court = await createAgency(testApp.dataSource, AgencyKind.Court, 'Bouncing County Court');
      testApp.smtp.answer = (mail) => (mail.to.includes(court.noticeEmail!) ? { code: 550, message: '5.1.1 mailbox unavailable' } : null);
      try {
        await post(`/admin/agencies/${court.id}/test-mail`, {}).expect(303);
        await waitFor(async () => (await get(`/admin/agencies/${court.id}`)).text.includes('notice-status--dead'), {
          what: 'the test e-mail dead',
        });
        const page = await get(`/admin/agencies/${court.id}`).expect(200);
        expect(page.text).toContain('mailbox unavailable');
      } finally {
        testApp.smtp.answer = () => null;
      }
      // The last one still on its way (waiting for its next attempt, an hour from now): a second is refused.
      await testApp.dataSource.query(
        `UPDATE outgoing_mails SET status = 'failed', next_attempt_at = now() + interval '1 hour' WHERE ref_id = $1`,
        [court.id],
      );
      const again = await post(`/admin/agencies/${court.id}/test-mail`, {}).expect(422);
      expect(again.text).toContain('The last test e-mail is still on its way');
      expect(await audits('agency.test_mail', court.id)).toHaveLength(1);
    });

    it('refuses a test e-mail for an agency without an address', async () => {
      const program = await createAgency(testApp.dataSource, AgencyKind.Program, 'A Second Program');
      const response = await post(`/admin/agencies/${program.id}/test-mail`, {}).expect(422);
      expect(response.text).toContain('has no notice address to test');
      expect(await audits('agency.test_mail', program.id)).toEqual([]);
    });

    it('creates an agency from the form (audited), refusing a court without an address and a missing kind beside the fields', async () => {
      await get('/admin/agencies/new').expect(200);
      const empty = await post('/admin/agencies/new', { name: 'x', kind: '', noticeEmail: 'nope' }).expect(400);
      expect(fieldError(empty.text, 'name')).toEqual(['Enter the agency’s name (2 to 200 characters)']);
      expect(fieldError(empty.text, 'kind')).toEqual(['Choose what kind of agency it is']);
      expect(fieldError(empty.text, 'noticeEmail')).toEqual(['Enter an e-mail address, like notices@court.example.gov']);
      const court = await post('/admin/agencies/new', { name: 'Carlton County Court', kind: 'court', noticeEmail: '' }).expect(422);
      expect(fieldError(court.text, 'noticeEmail')).toEqual(['A court or probation department needs an address for its notices']);
      expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM agencies WHERE name = 'Carlton County Court'`))[0].n).toBe(0);

      const created = await post('/admin/agencies/new', {
        name: 'Carlton County Court',
        kind: 'court',
        noticeEmail: 'Notices@Carlton.example.gov',
      }).expect(303);
      const id = /\/admin\/agencies\/([0-9a-f-]{36})\?saved=1$/.exec(created.headers.location)![1];
      expect((await testApp.dataSource.query(`SELECT kind, notice_email FROM agencies WHERE id = $1`, [id]))[0]).toEqual({
        kind: 'court',
        notice_email: 'notices@carlton.example.gov',
      });
      expect(await audits('agency.create', id)).toEqual([{ details: { kind: 'court', fields: ['name', 'kind', 'noticeEmail'] } }]);
      // The intake form offers the new court at once.
      await expect(
        get('/intake')
          .expect(200)
          .then((res) => res.text),
      ).resolves.toContain('Carlton County Court');
    });

    it('answers an unknown agency with the 404 page', async () => {
      await get('/admin/agencies/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('policies', () => {
    it('lists the current versions and shows one with the referrals under it', async () => {
      const list = await get('/admin/policies').expect(200);
      expect(list.text).toContain(reference.duluthPolicy.name);
      const one = await get(`/admin/policies/${reference.duluthPolicy.id}`).expect(200);
      expect(one.text).toContain('Version 1');
      expect(one.text).toContain('The first version.');
    });

    it('writes a new version from the current one and says in plain words what changed (audited); the old version stays pinned', async () => {
      const policy = reference.caPolicy;
      const form = await get(`/admin/policies/${policy.id}/new-version`).expect(200);
      const value = (name: string) => new RegExp(`name="${name}" type="number" value="([^"]*)"`).exec(form.text)?.[1] ?? '';
      const fields: Record<string, string> = {
        name: policy.name,
        source: policy.source ?? '',
        victimNotification: policy.victimNotification,
        basedOnVersion: String(policy.version),
      };
      for (const name of [
        'requiredSessions',
        'sessionMinutes',
        'enrollWithinDays',
        'completeWithinMonths',
        'maxAbsences',
        'maxUnexcusedAbsences',
        'maxConsecutiveAbsences',
        'noAttendanceDays',
        'progressReportEveryDays',
        'progressReportDayOfMonth',
        'violationReportBusinessDays',
        'escalateAfterBusinessDays',
        'probationResponseBusinessDays',
        'courtResponseBusinessDays',
      ])
        fields[name] = value(name);
      for (const name of ['leftEarlyCounts', 'feesRequired', 'protectedPartyAdminAccess'])
        if (new RegExp(`name="${name}" id="f-${name}" value="on" checked`).test(form.text)) fields[name] = 'on';
      expect(fields.requiredSessions).toBe(String(policy.requiredSessions));
      expect(Boolean(fields.feesRequired)).toBe(policy.feesRequired);

      const unchanged = await post(`/admin/policies/${policy.id}/new-version`, fields);
      if (unchanged.status !== 422) throw new Error(`${unchanged.status} ${unchanged.headers.location} ${JSON.stringify(fields)}`);
      expect(unchanged.text).toContain('Nothing was changed');

      const raised = String(policy.maxAbsences + 1);
      const created = await post(`/admin/policies/${policy.id}/new-version`, {
        ...fields,
        maxAbsences: raised,
        feesRequired: policy.feesRequired ? '' : 'on',
      }).expect(303);
      const newId = /\/admin\/policies\/([0-9a-f-]{36})\?created=1/.exec(created.headers.location)![1];
      const page = await get(`/admin/policies/${newId}?created=1`).expect(200);
      expect(page.text).toContain(`Absences allowed, excused or not: raised from ${policy.maxAbsences} to ${raised}.`);
      expect(page.text).toContain(`Fees must be paid to complete: changed from ${policy.feesRequired ? 'yes to no' : 'no to yes'}.`);
      const versions = await testApp.dataSource.query(`SELECT version, is_current FROM policies WHERE key = $1 ORDER BY version`, [
        policy.key,
      ]);
      expect(versions).toEqual([
        { version: 1, is_current: false },
        { version: 2, is_current: true },
      ]);
      expect(await audits('policy.new_version', newId)).toEqual([{ details: { key: policy.key, version: 2 } }]);

      // The form was filled in from version 1: sent again, it would undo version 2 silently.
      const stale = await post(`/admin/policies/${policy.id}/new-version`, {
        ...fields,
        maxAbsences: String(policy.maxAbsences + 2),
      }).expect(409);
      expect(stale.text).toContain('Version 2 of this policy was saved after you opened version 1');
    });

    it('answers bad numbers beside each field in the rule’s words and writes nothing', async () => {
      const policy = reference.txPolicy;
      const response = await post(`/admin/policies/${policy.id}/new-version`, {
        name: 'x',
        victimNotification: 'none',
        requiredSessions: '',
        sessionMinutes: '10',
        enrollWithinDays: 'soon',
        completeWithinMonths: '9',
        maxAbsences: '3',
        maxUnexcusedAbsences: '2',
        maxConsecutiveAbsences: '2',
        noAttendanceDays: '14',
        progressReportEveryDays: '30',
        violationReportBusinessDays: '2',
        escalateAfterBusinessDays: '3',
        probationResponseBusinessDays: '10',
        courtResponseBusinessDays: '22',
      }).expect(400);
      expect(fieldError(response.text, 'name')).toEqual(['Enter the policy’s name (3 to 200 characters)']);
      expect(fieldError(response.text, 'requiredSessions')).toEqual(['Enter a whole number for “Sessions required”']);
      expect(fieldError(response.text, 'sessionMinutes')).toEqual(['“Length of a session” must be at least 30']);
      expect(fieldError(response.text, 'enrollWithinDays')).toEqual(['“Enroll within” must be a whole number']);
      expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies WHERE key = $1`, [policy.key]))[0].n).toBe(1);
    });

    it('says in the rule’s words when two rules contradict each other', async () => {
      const policy = reference.txPolicy;
      const response = await post(`/admin/policies/${policy.id}/new-version`, {
        name: policy.name,
        victimNotification: 'none',
        requiredSessions: '100',
        sessionMinutes: '90',
        enrollWithinDays: '14',
        completeWithinMonths: '9',
        maxAbsences: '2',
        maxUnexcusedAbsences: '3',
        maxConsecutiveAbsences: '2',
        noAttendanceDays: '14',
        progressReportEveryDays: '30',
        violationReportBusinessDays: '2',
        escalateAfterBusinessDays: '3',
        probationResponseBusinessDays: '10',
        courtResponseBusinessDays: '22',
      }).expect(422);
      expect(fieldError(response.text, 'requiredSessions')).toEqual(['100 sessions cannot all be held, at one a week, within 9 months']);
      expect(fieldError(response.text, 'maxUnexcusedAbsences')).toEqual([
        'Unexcused absences allowed cannot be more than the absences allowed, excused or not',
      ]);
      expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies WHERE key = $1`, [policy.key]))[0].n).toBe(1);
    });
  });

  describe('a group', () => {
    let group: { id: string; name: string };
    let lena: { id: string };

    beforeAll(async () => {
      lena = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Lena Brandt');
      group = await createGroup(testApp, staff, {
        name: 'Wednesday group',
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        weekday: 3,
        capacity: 3,
      });
      const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -42), TODAY);
      for (const [firstName, lastName] of [
        ['Orrin', 'Vasquez'],
        ['Tobias', 'Lindgren'],
      ]) {
        const referral = await createReferral(testApp, staff, {
          policyId: reference.duluthPolicy.id,
          firstName,
          lastName,
          orderedOn: addDays(TODAY, -45),
        });
        await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
      }
    });

    it('lists the men in it now with links to their referrals (the read audited)', async () => {
      const page = await get(`/groups/${group.id}`).expect(200);
      expect(page.text).toMatch(/href="\/referrals\/[0-9a-f-]{36}">Lindgren, Tobias<\/a>/);
      expect(page.text).toContain('Vasquez, Orrin');
      const [entry] = await audits('group.members_read', group.id);
      expect((entry.details.returned as string[]).length).toBe(2);
    });

    it('saves time, place, capacity and a co-facilitator; future sessions move to the new time (audited)', async () => {
      await post(`/groups/${group.id}/edit`, {
        name: 'Wednesday evening group',
        startTime: '19:00',
        durationMinutes: '120',
        capacity: '10',
        location: 'Room 5, 202 W 2nd St',
        facilitatorIds: [staff.users.facilitator.id, lena.id],
      })
        .expect(303)
        .expect('Location', `/groups/${group.id}?saved=1`);
      const [row] = await testApp.dataSource.query(
        `SELECT name, to_char(start_time, 'HH24:MI') AS time, duration_minutes, capacity, location FROM groups WHERE id = $1`,
        [group.id],
      );
      expect(row).toEqual({
        name: 'Wednesday evening group',
        time: '19:00',
        duration_minutes: 120,
        capacity: 10,
        location: 'Room 5, 202 W 2nd St',
      });
      const times = await testApp.dataSource.query(
        `SELECT DISTINCT to_char(start_time, 'HH24:MI') AS time, date >= $2 AS future FROM sessions WHERE group_id = $1 AND status = 'scheduled' ORDER BY 2`,
        [group.id, TODAY],
      );
      expect(times.filter((entry: { future: boolean }) => entry.future).map((entry: { time: string }) => entry.time)).toEqual(['19:00']);
      const past = await testApp.dataSource.query(
        `SELECT DISTINCT to_char(start_time, 'HH24:MI') AS time FROM sessions WHERE group_id = $1 AND date < $2`,
        [group.id, TODAY],
      );
      expect(past).toEqual([{ time: '18:30' }]);
      const facilitators = await testApp.dataSource.query(`SELECT user_id FROM group_facilitators WHERE group_id = $1 ORDER BY user_id`, [
        group.id,
      ]);
      expect(facilitators.map((entry: { user_id: string }) => entry.user_id).sort()).toEqual([staff.users.facilitator.id, lena.id].sort());
      const [entry] = await audits('group.update', group.id);
      expect(entry.details).toMatchObject({
        fields: ['name', 'startTime', 'durationMinutes', 'capacity', 'location', 'facilitatorIds'],
        facilitatorsAdded: [lena.id],
        facilitatorsRemoved: [],
      });
      // The co-facilitator now reaches the group's rosters.
      const token = (
        await testApp.http.post('/api/v1/auth/login').send({
          email: (await testApp.dataSource.query(`SELECT email FROM users WHERE id = $1`, [lena.id]))[0].email,
          password: 'correct horse battery staple',
        })
      ).body.accessToken;
      await testApp.http.get(`/api/v1/groups/${group.id}`).set(bearer(token)).expect(200);
    });

    it('keeps a facilitator of a meeting group in his role until another is named on it', async () => {
      const response = await post(`/admin/users/${lena.id}/role`, { role: 'coordinator', agencyId: staff.program.id }).expect(422);
      expect(fieldError(response.text, 'role')).toEqual(['Lena Brandt facilitates 1 group; name another facilitator on it first']);
      expect((await testApp.dataSource.query(`SELECT role FROM users WHERE id = $1`, [lena.id]))[0].role).toBe('facilitator');
    });

    it('refuses a capacity below the men enrolled, no facilitator and a bad time beside the fields, changing nothing', async () => {
      const below = await post(`/groups/${group.id}/edit`, {
        name: 'Wednesday evening group',
        startTime: '19:00',
        durationMinutes: '120',
        capacity: '1',
        location: 'Room 5',
        facilitatorIds: [lena.id],
      }).expect(422);
      expect(fieldError(below.text, 'capacity')).toEqual(['2 men are enrolled now; the capacity cannot be below that']);
      const bad = await post(`/groups/${group.id}/edit`, {
        name: 'Wednesday evening group',
        startTime: '7pm',
        durationMinutes: '120',
        capacity: '40',
        location: 'Room 5',
      }).expect(400);
      expect(fieldError(bad.text, 'startTime')).toEqual(['Enter the time as HH:MM, like 18:30']);
      expect(fieldError(bad.text, 'capacity')).toEqual(['A group takes 1 to 30 men']);
      expect(fieldError(bad.text, 'facilitatorIds')).toEqual(['Choose at least one facilitator']);
      const [row] = await testApp.dataSource.query(`SELECT capacity, location FROM groups WHERE id = $1`, [group.id]);
      expect(row).toEqual({ capacity: 10, location: 'Room 5, 202 W 2nd St' });
      expect(await audits('group.update', group.id)).toHaveLength(1);
    });

    it('answers an unknown group with the 404 page, and /groups/new is still the new-group form', async () => {
      await get('/groups/00000000-0000-4000-8000-000000000000').expect(404);
      await expect(
        get('/groups/new')
          .expect(200)
          .then((res) => res.text),
      ).resolves.toContain('<h1>New group</h1>');
    });
  });

  it('refuses every settings form posted without the page’s CSRF token, changing nothing', async () => {
    const user = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Csrf Target');
    const policyCount = (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies`))[0].n;
    const forms: Array<[string, Record<string, string | string[]>]> = [
      ['/admin/users', { q: 'x' }],
      ['/admin/agencies/new', { name: 'Forged Court', kind: 'court', noticeEmail: 'forged@evil.test' }],
      ['/admin/users/invite', { name: 'Forged Person', email: 'forged@program.test', role: 'admin', agencyId: staff.program.id }],
      [`/admin/users/${user.id}/role`, { role: 'admin', agencyId: staff.program.id }],
      [`/admin/users/${user.id}/active`, { active: 'false' }],
      [`/admin/users/${user.id}/unlock`, {}],
      [`/admin/users/${user.id}/invitation`, {}],
      [`/admin/users/${user.id}/second-factor/reset`, {}],
      [`/admin/agencies/${staff.court.id}`, { name: 'Forged', noticeEmail: 'attacker@evil.test', kind: 'court' }],
      [`/admin/agencies/${staff.court.id}/test-mail`, {}],
      [`/admin/policies/${reference.duluthPolicy.id}/new-version`, { name: 'Forged' }],
      [`/groups/00000000-0000-4000-8000-000000000000/edit`, { name: 'Forged' }],
    ];
    for (const [path, form] of forms) {
      const response = await testApp.http
        .post(path)
        .set('Cookie', cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({ ...form, _csrf: 'forged' });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.text).toContain('This form could not be accepted');
    }
    expect((await testApp.dataSource.query(`SELECT role, active FROM users WHERE id = $1`, [user.id]))[0]).toEqual({
      role: 'facilitator',
      active: true,
    });
    expect((await testApp.dataSource.query(`SELECT notice_email FROM agencies WHERE id = $1`, [staff.court.id]))[0].notice_email).not.toBe(
      'attacker@evil.test',
    );
    expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'forged@program.test'`))[0].n).toBe(0);
    expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies`))[0].n).toBe(policyCount);
  });

  it('adds the settings pages and the queue dashboard to the admin’s navigation, and every link there opens', async () => {
    const page = await get('/referrals').expect(200);
    const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(page.text)![0];
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(hrefs).toEqual(expect.arrayContaining(['/admin/users', '/admin/agencies', '/admin/policies', '/admin/queues']));
    for (const href of hrefs) await get(href).expect(200);
  });
});
