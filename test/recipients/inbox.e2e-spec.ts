import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { pageSession, tableCounts } from '../security/security-fixtures';
import { csrfOf, groupWithSessions, violation } from './recipient-helpers';

/** The recipients' inboxes: unacknowledged notices, newest first, filters, acknowledge many at once. */
describe('inboxes and bulk acknowledgement', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let men: Array<Awaited<ReturnType<typeof violation>>>;
  let other: Awaited<ReturnType<typeof violation>>;
  let otherToken: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const group = await groupWithSessions(testApp, staff, reference);
    men = [];
    for (const lastName of ['Reyes', 'Okafor', 'Lindqvist'])
      men.push(await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id, lastName }));
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    const otherOfficer = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    otherToken = await signIn(testApp, otherOfficer.email);
    other = await violation(testApp, staff, group, {
      policyId: reference.duluthPolicy.id,
      courtAgencyId: otherCourt.id,
      probationOfficerId: otherOfficer.id,
    });
    // Written in this order a second apart on the clock the inbox sorts by; the first one has waited 10 days.
    for (const [index, made] of men.entries()) {
      await testApp.dataSource.query(`UPDATE notices SET created_at = now() - make_interval(secs => $2) WHERE id = ANY($1::uuid[])`, [
        [made.poNotice, made.courtNotice],
        10 - index,
      ]);
    }
    await testApp.dataSource.query(`UPDATE notices SET created_at = now() - interval '10 days' WHERE id = ANY($1::uuid[])`, [
      [men[0].poNotice, men[0].courtNotice],
    ]);
    await waitFor(
      async () => {
        const [{ n }] = await testApp.dataSource.query(
          `SELECT count(*)::int AS n FROM notices WHERE status IN ('pending', 'sending', 'failed')`,
        );
        return n === 0;
      },
      { what: 'every notice delivered' },
    );
    // Their enrollment confirmations were read the day they came (program-decisions has their own tests).
    await testApp.dataSource.query(
      `UPDATE notices n SET status = 'acknowledged', acknowledged_at = now() FROM compliance_events e WHERE e.id = n.event_id AND e.kind = 'enrolled'`,
    );
  });
  afterAll(async () => testApp.close());

  const inbox = (role: Role.ProbationOfficer | Role.CourtClerk, query = '') =>
    testApp.http.get(`/api/v1/notices/inbox${query}`).set(bearer(staff.tokens[role]));

  it('shows the officer his notices and the clerk her court’s, newest first, nobody else’s', async () => {
    const officer = await inbox(Role.ProbationOfficer).expect(200);
    expect(officer.body.items.map((item: { id: string }) => item.id)).toEqual([men[2].poNotice, men[1].poNotice, men[0].poNotice]);
    expect(officer.body).toMatchObject({ total: 3, unacknowledged: 3 });
    expect(officer.body.items[0]).toMatchObject({
      caseNumber: men[2].referral.caseNumber,
      eventKind: 'removed_for_behaviour',
      recipientKind: 'probation_officer',
      participantName: expect.stringContaining('Lindqvist'),
    });
    const clerk = await inbox(Role.CourtClerk).expect(200);
    expect(clerk.body.items.map((item: { id: string }) => item.id)).toEqual([men[2].courtNotice, men[1].courtNotice, men[0].courtNotice]);
    const theirs = await testApp.http.get('/api/v1/notices/inbox').set(bearer(otherToken)).expect(200);
    expect(theirs.body.items.map((item: { id: string }) => item.id)).toEqual([other.poNotice]);
    for (const role of [Role.Admin, Role.Facilitator, Role.Advocate]) {
      await testApp.http.get('/api/v1/notices/inbox').set(bearer(staff.tokens[role])).expect(403);
    }
  });

  it('filters by kind and by how long a notice has waited; the case number only in a body', async () => {
    expect((await inbox(Role.CourtClerk, '?kind=absence_limit_exceeded').expect(200)).body).toMatchObject({
      items: [],
      total: 0,
      unacknowledged: 3,
    });
    expect((await inbox(Role.CourtClerk, '?kind=removed_for_behaviour').expect(200)).body.total).toBe(3);
    const waited = await inbox(Role.CourtClerk, '?olderThanDays=7').expect(200);
    expect(waited.body.items.map((item: { id: string }) => item.id)).toEqual([men[0].courtNotice]);
    const bad = await inbox(Role.CourtClerk, '?kind=nonsense&olderThanDays=-1').expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['kind', 'olderThanDays']);
    // A case number in the address is refused, not read.
    await inbox(Role.CourtClerk, `?caseNumber=${men[1].referral.caseNumber}`).expect(400);
    const byCase = await testApp.http
      .post('/api/v1/notices/inbox/lookup')
      .set(bearer(staff.tokens.court_clerk))
      .send({ caseNumber: men[1].referral.caseNumber.toLowerCase() })
      .expect(200);
    expect(byCase.body.items.map((item: { id: string }) => item.id)).toEqual([men[1].courtNotice]);
    const another = await testApp.http
      .post('/api/v1/notices/inbox/lookup')
      .set(bearer(staff.tokens.court_clerk))
      .send({ caseNumber: other.referral.caseNumber })
      .expect(200);
    expect(another.body.total).toBe(0);
    const missing = await testApp.http.post('/api/v1/notices/inbox/lookup').set(bearer(staff.tokens.court_clerk)).send({}).expect(400);
    expect(missing.body.fields.caseNumber).toEqual([
      'caseNumber must be shorter than or equal to 60 characters',
      'caseNumber is required',
      'caseNumber must be a string',
    ]);
  });

  it('refuses a bad list of ids with field messages, and any id outside the caller’s notices with 404, writing nothing', async () => {
    const ack = (token: string, body: object) => testApp.http.post('/api/v1/notices/acknowledge').set(bearer(token)).send(body);
    const before = await tableCounts(testApp);
    for (const body of [{}, { ids: [] }, { ids: 'x' }, { ids: ['not-a-uuid'] }, { ids: [men[0].poNotice, men[0].poNotice] }]) {
      const response = await ack(staff.tokens.probation_officer, body).expect(400);
      expect({ body, fields: Object.keys(response.body.fields ?? {}) }).toEqual({ body, fields: ['ids'] });
    }
    // One of his, one of another officer's: 404, and his own is not acknowledged either.
    await ack(staff.tokens.probation_officer, { ids: [men[0].poNotice, other.poNotice] }).expect(404);
    // The court's notice is not the officer's to acknowledge, even about his own man.
    await ack(staff.tokens.probation_officer, { ids: [men[0].courtNotice] }).expect(404);
    await ack(staff.tokens.admin, { ids: [men[0].poNotice] }).expect(403);
    expect(await tableCounts(testApp)).toEqual(before);
    const [{ status }] = await testApp.dataSource.query(`SELECT status FROM notices WHERE id = $1`, [men[0].poNotice]);
    expect(status).toBe('sent');
  });

  it('acknowledges many in one transaction, one audit entry per notice; again is a no-op', async () => {
    const ids = [men[0].poNotice, men[1].poNotice];
    const response = await testApp.http
      .post('/api/v1/notices/acknowledge')
      .set(bearer(staff.tokens.probation_officer))
      .send({ ids })
      .expect(200);
    expect(response.body.acknowledged.sort()).toEqual([...ids].sort());
    const rows = await testApp.dataSource.query(`SELECT status, acknowledged_by_id FROM notices WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows).toEqual([
      { status: 'acknowledged', acknowledged_by_id: staff.users.probation_officer.id },
      { status: 'acknowledged', acknowledged_by_id: staff.users.probation_officer.id },
    ]);
    const audit = await testApp.dataSource.query(
      `SELECT record_id, request_id FROM audit_entries WHERE action = 'notice.acknowledge' AND record_id = ANY($1)`,
      [ids],
    );
    expect(audit.map((row: { record_id: string }) => row.record_id).sort()).toEqual([...ids].sort());
    expect(new Set(audit.map((row: { request_id: string }) => row.request_id)).size).toBe(1);
    const again = await testApp.http
      .post('/api/v1/notices/acknowledge')
      .set(bearer(staff.tokens.probation_officer))
      .send({ ids })
      .expect(200);
    expect(again.body.acknowledged).toEqual([]);
    expect((await inbox(Role.ProbationOfficer).expect(200)).body).toMatchObject({ total: 1, unacknowledged: 1 });
  });

  it('gives the clerk an inbox page with its count in the navigation, a case-number filter by POST, and acknowledge-selected', async () => {
    const cookie = await pageSession(testApp, staff.users.court_clerk.email);
    const shown = await testApp.http.get('/inbox').set('Cookie', cookie).expect(200);
    expect(shown.text).toMatch(/href="\/inbox"[^>]*>Inbox <span class="nav-count">3</);
    for (const made of men) expect(shown.text).toContain(`href="/notices/${made.courtNotice}"`);
    expect(shown.text).not.toContain(other.courtNotice);

    const filtered = await testApp.http
      .post('/inbox')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(shown.text), caseNumber: men[2].referral.caseNumber })
      .expect(200);
    expect(filtered.text).toContain(`href="/notices/${men[2].courtNotice}"`);
    expect(filtered.text).not.toContain(`href="/notices/${men[1].courtNotice}"`);
    // Its pager links never carry the number.
    expect(filtered.text.match(/href="[^"]*"/g)!.filter((href) => href.includes(men[2].referral.caseNumber))).toEqual([]);

    const none = await testApp.http
      .post('/inbox/acknowledge')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(shown.text) })
      .expect(400);
    expect(none.text).toContain('Tick the notices to acknowledge first.');
    const done = await testApp.http
      .post('/inbox/acknowledge')
      .set('Cookie', cookie)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfOf(shown.text))}&ids=${men[0].courtNotice}&ids=${men[2].courtNotice}`)
      .expect(303);
    expect(done.headers.location).toBe('/inbox?acknowledged=2');
    const after = await testApp.http.get(done.headers.location).set('Cookie', cookie).expect(200);
    expect(after.text).toContain('2 notices acknowledged.');
    expect(after.text).toMatch(/>Inbox <span class="nav-count">1</);
    // Another court's notice in the form: the 404 page, and nothing acknowledged.
    const mixed = await testApp.http
      .post('/inbox/acknowledge')
      .set('Cookie', cookie)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfOf(shown.text))}&ids=${men[1].courtNotice}&ids=${other.courtNotice}`)
      .expect(404);
    expect(mixed.text).toContain('Not found');
    const [{ status }] = await testApp.dataSource.query(`SELECT status FROM notices WHERE id = $1`, [men[1].courtNotice]);
    expect(status).toBe('sent');
  });
});
