import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { createAgency, createUser, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { pageSession } from '../security/security-fixtures';
import { acknowledgeLink, csrfOf, groupWithSessions, mailOf, signInWithNext, violation } from './recipient-helpers';

/** The notice page: where the e-mail's "Acknowledge in Throughline" link lands, for its recipient only. */
describe('the notice page (/notices/:id)', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let made: Awaited<ReturnType<typeof violation>>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const group = await groupWithSessions(testApp, staff, reference);
    made = await violation(testApp, staff, group, {
      policyId: reference.duluthPolicy.id,
      firstName: 'Marcus',
      lastName: 'Delgado',
      dateOfBirth: '1984-03-17',
    });
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    const otherClerk = await createUser(testApp.dataSource, Role.CourtClerk, otherCourt.id);
    const otherOfficer = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    for (const role of Object.values(Role)) cookies[role] = await pageSession(testApp, staff.users[role].email);
    cookies.otherClerk = await pageSession(testApp, otherClerk.email);
    cookies.otherOfficer = await pageSession(testApp, otherOfficer.email);
  });
  afterAll(async () => testApp.close());

  const page = (path: string, cookie?: string) => {
    const request = testApp.http.get(path).set('Accept', 'text/html');
    return cookie ? request.set('Cookie', cookie) : request;
  };

  it('follows the link of the e-mail the court received: sign in, then back on the notice', async () => {
    const link = acknowledgeLink(await mailOf(testApp, made.courtNotice));
    expect(link.pathname).toBe(`/notices/${made.courtNotice}`);

    const anonymous = await page(link.pathname).expect(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(link.pathname)}`);
    const next = new URL(anonymous.headers.location, 'http://x').searchParams.get('next')!;
    const { cookie, location } = await signInWithNext(testApp, staff.users.court_clerk.email, next);
    expect(location).toBe(link.pathname);

    const shown = await page(location, cookie).expect(200);
    expect(shown.text).toContain('Removed from a session for behavior');
    expect(shown.text).toContain(made.referral.caseNumber);
    expect(shown.text).toContain('Marcus Delgado was removed from the session of Nov 24, 2026 for behavior.');
    expect(shown.text).toContain(`href="/notices/${made.courtNotice}/letter.pdf"`);
    expect(shown.text).toMatch(/<button type="submit" class="button button--primary">Acknowledge<\/button>/);
    // The court sees the case, not the man: no date of birth, no officer, no note of the session.
    expect(shown.text).not.toContain('1984');
    expect(shown.text).not.toContain('Sent out for threats');
    expect(shown.text).not.toContain('Probation officer</dt>');
  });

  it('refuses an off-site return path after sign-in: the browser goes to the role’s home instead', async () => {
    for (const next of [
      'https://evil.example/notices',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
    ]) {
      const { location } = await signInWithNext(testApp, staff.users.court_clerk.email, next);
      expect({ next, location }).toEqual({ next, location: '/lookup' });
    }
    const form = await testApp.http.get(`/login?next=${encodeURIComponent('//evil.example/x')}`).expect(200);
    expect(form.text).not.toContain('evil.example');
  });

  it('opens for the man’s probation officer and the admin; 404 for another court, another officer, a facilitator and an advocate', async () => {
    const officer = await page(`/notices/${made.poNotice}`, cookies[Role.ProbationOfficer]).expect(200);
    expect(officer.text).toContain('Marcus Delgado');
    expect(officer.text).toContain(`href="/referrals/${made.referral.id}"`);
    const admin = await page(`/notices/${made.courtNotice}`, cookies[Role.Admin]).expect(200);
    // The admin reads it; only the recipient acknowledges.
    expect(admin.text).not.toMatch(/>Acknowledge<\/button>/);
    for (const who of ['otherClerk', 'otherOfficer', Role.Facilitator, Role.Advocate]) {
      for (const id of [made.courtNotice, made.poNotice]) {
        const response = await page(`/notices/${id}`, cookies[who]);
        expect({ who, id, status: response.status }).toEqual({ who, id, status: 404 });
        expect(response.text).not.toContain(made.referral.caseNumber);
      }
    }
    // The clerk opens the court's notice, not the officer's.
    await page(`/notices/${made.poNotice}`, cookies[Role.CourtClerk]).expect(404);
    await page(`/notices/not-a-uuid`, cookies[Role.CourtClerk]).expect(404);
  });

  it('acknowledges from the page and comes back to it, once, with an audit entry', async () => {
    const shown = await page(`/notices/${made.courtNotice}`, cookies[Role.CourtClerk]).expect(200);
    const posted = await testApp.http
      .post(`/notices/${made.courtNotice}/acknowledge`)
      .set('Cookie', cookies[Role.CourtClerk])
      .type('form')
      .send({ _csrf: csrfOf(shown.text), back: `/notices/${made.courtNotice}` })
      .expect(303);
    // Back to where he was: the page, and on a list the acknowledged row (pages.js focuses it).
    expect(posted.headers.location).toBe(`/notices/${made.courtNotice}?acknowledged=1#notice-${made.courtNotice}`);
    const after = await page(posted.headers.location, cookies[Role.CourtClerk]).expect(200);
    expect(after.text).toContain('Notice acknowledged.');
    expect(after.text).not.toMatch(/>Acknowledge<\/button>/);
    const [row] = await testApp.dataSource.query(`SELECT status, acknowledged_by_id FROM notices WHERE id = $1`, [made.courtNotice]);
    expect(row).toEqual({ status: 'acknowledged', acknowledged_by_id: staff.users.court_clerk.id });
    const [{ n }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'notice.acknowledge' AND record_id = $1`,
      [made.courtNotice],
    );
    expect(n).toBe(1);
  });

  it('records a response from the notice page (plain field messages first), and shows the chain on the referral, the lookup and the admin’s list', async () => {
    const cookie = cookies[Role.CourtClerk];
    const shown = await page(`/notices/${made.courtNotice}`, cookie).expect(200);
    expect(shown.text).toContain('Record a response');
    // The court's form offers the court's kinds only.
    expect(shown.text).toContain('value="hearing_set"');
    expect(shown.text).not.toContain('value="violation_filed"');
    const post = (body: Record<string, string>) =>
      testApp.http
        .post(`/notices/${made.courtNotice}/responses`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfOf(shown.text), ...body });
    const missing = await post({ kind: 'hearing_set' }).expect(400);
    expect(missing.text).toContain('Enter the date as YYYY-MM-DD');
    expect(missing.text).toMatch(/value="hearing_set" checked/);
    const done = await post({ kind: 'hearing_set', date: '2026-12-09' }).expect(303);
    expect(done.headers.location).toBe(`/notices/${made.courtNotice}?responded=1`);
    const after = await page(done.headers.location, cookie).expect(200);
    expect(after.text).toContain('Response recorded.');
    expect(after.text).toMatch(/Court: Hearing set<\/strong> — Dec 9, 2026/);
    // The officer cannot post the court's kinds, and his own form has his.
    const officerPage = await page(`/notices/${made.poNotice}`, cookies[Role.ProbationOfficer]).expect(200);
    expect(officerPage.text).toContain('value="violation_filed"');
    const refused = await testApp.http
      .post(`/notices/${made.poNotice}/responses`)
      .set('Cookie', cookies[Role.ProbationOfficer])
      .type('form')
      .send({ _csrf: csrfOf(officerPage.text), kind: 'hearing_set', date: '2026-12-09' })
      .expect(403);
    expect(refused.text).toContain('records violation_filed');

    const held = await post({ kind: 'hearing_held', outcome: 'probation_revoked' }).expect(303);
    expect(held.headers.location).toContain('responded=1');
    const referral = await page(`/referrals/${made.referral.id}`, cookies[Role.ProbationOfficer]).expect(200);
    expect(referral.text).toContain('What happened after each event');
    expect(referral.text).toContain('Court: Hearing held</strong> — Probation revoked');
    const lookup = await page(`/lookup/${made.referral.id}`, cookie).expect(200);
    expect(lookup.text).toContain('Court: Hearing set');
    const admin = await page('/referrals', cookies[Role.Admin]).expect(200);
    expect(admin.text).toContain('Court outcomes to act on');
    expect(admin.text).toMatch(/Marcus Delgado — case [^<]+<\/a>: Probation revoked/);
  });
});
