import { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createStaff, TEST_PASSWORD } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { signIn, startPagesApp } from './browser-harness';
/** One page a role works on, by the name a test reports it under. */
export interface MainPage {
  name: string;
  path: string;
}

export interface RolePages {
  role: `${Role}` | 'signed_out';
  email: string | null;
  password: string | null;
  pages: MainPage[];
}

/**
 * A small program with every page state worth looking at — a man who crossed a limit (a dozen
 * notices with their letters, one dead, one unknown), a long group name, a man never enrolled,
 * a terminated man whose former partner asked to be told, long names — and the main pages of
 * every role in it: what the accessibility and layout suites walk through. Built through the API
 * in seconds (the full demo seed takes minutes on a busy 2-core machine).
 */
export async function startPageStates(): Promise<{ testApp: TestApp; baseUrl: string; roles: RolePages[] }> {
  const { testApp, baseUrl } = await startPagesApp();
  const staff = await createStaff(testApp);
  const reference = await seedReference(testApp);
  pinToday(testApp);
  const admin = bearer(staff.tokens.admin);
  await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court (Duluth)' WHERE id = $1`, [staff.court.id]);
  const group = await createGroup(testApp, staff, {
    curriculumId: reference.duluth.id,
    facilitatorIds: [staff.users.facilitator.id],
    weekday: 2,
  });
  await testApp.dataSource.query(`UPDATE groups SET name = 'Tuesday evening group (Room 2, 202 W 2nd St)' WHERE id = $1`, [group.id]);
  const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), TODAY))
    .filter((session) => session.date < TODAY)
    .slice(-4);
  const man = (firstName: string, lastName: string, extra: Record<string, string> = {}) =>
    createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName, lastName, orderedOn: addDays(TODAY, -45), ...extra });
  const marcus = await man('Marcus', 'Delgado-Fairbanks');
  const james = await man('James', 'Whitfield');
  const kevin = await man('Kevin', 'O’Brien', { orderedOn: addDays(TODAY, -3) }); // never enrolled
  const tyler = await man('Tyler', 'Anderson');
  const enrollments = [];
  for (const referral of [marcus, james, tyler])
    enrollments.push((await enroll(testApp, staff, referral.id, group.id, sessions[0].date)).enrollment);
  for (const [index, session] of sessions.entries()) {
    await testApp.http
      .put(`/api/v1/sessions/${session.id}/attendance`)
      .set(admin)
      .send({
        marks: [
          // Marcus misses every week without excuse: non-compliant, notices to probation and the court.
          {
            enrollmentId: enrollments[0].id,
            status: 'absent_unexcused',
            ...(index === 0 ? { note: 'No call; his phone was off when the facilitator tried twice' } : {}),
          },
          {
            enrollmentId: enrollments[1].id,
            status: index === 1 ? 'absent_excused' : 'present',
            ...(index === 1 ? { note: 'Sick; called ahead' } : {}),
          },
          { enrollmentId: enrollments[2].id, status: 'late' },
        ],
      })
      .expect(200);
  }
  await testApp.http
    .post(`/api/v1/referrals/${tyler.id}/protected-parties`)
    .set(bearer(staff.tokens.advocate))
    .send({
      name: 'Kayla Moore',
      relationship: 'former partner',
      email: 'kayla.moore@example.org',
      phone: '218 555 0150',
      preferredChannel: 'email',
      notificationWish: 'wants',
    })
    .expect(201);
  await testApp.http
    .post(`/api/v1/referrals/${tyler.id}/terminate`)
    .set(admin)
    .send({ reason: 'Threatened a group member after session' })
    .expect(200);
  // Pages show notices as they stand: let the workers render and send what the marks raised.
  await waitFor(
    async () => {
      const [{ waiting }] = await testApp.dataSource.query(
        `SELECT count(*)::int AS waiting FROM notices WHERE status IN ('pending', 'sending', 'failed')`,
      );
      return waiting === 0;
    },
    { what: 'the notices delivered', timeoutMs: 60_000 },
  );
  // One the court's server refused and one whose fate is unknown, for the queue page.
  await testApp.dataSource.query(
    `UPDATE notices SET status = 'dead', last_response = '550 5.1.1 <court-notices@stlouiscountycourts.example>: Recipient address rejected: User unknown in virtual mailbox table'
      WHERE id = (SELECT id FROM notices WHERE referral_id = $1 AND recipient_kind = 'court' ORDER BY created_at LIMIT 1)`,
    [marcus.id],
  );
  await testApp.dataSource.query(
    `UPDATE notices SET status = 'unknown', last_response = 'The worker stopped while sending; the mail server may have accepted it'
      WHERE id = (SELECT id FROM notices WHERE referral_id = $1 AND recipient_kind = 'probation_officer' ORDER BY created_at LIMIT 1)`,
    [james.id],
  );
  const one = async (sql: string, params: unknown[] = []): Promise<string> => {
    const rows = await testApp.dataSource.query<Array<{ id: string }>>(sql, params);
    if (!rows[0]) throw new Error(`demo pages: nothing for ${sql}`);
    return rows[0].id;
  };
  const noticeTo = (referralId: string, kind: string) =>
    one(`SELECT id FROM notices WHERE referral_id = $1 AND recipient_kind = $2 AND status <> 'dead' ORDER BY created_at DESC LIMIT 1`, [
      referralId,
      kind,
    ]);
  const roster = sessions[sessions.length - 1].id;
  const login = (role: Role) => ({ email: staff.users[role].email, password: TEST_PASSWORD });

  const roles: RolePages[] = [
    { role: 'signed_out', email: null, password: null, pages: [{ name: 'sign-in', path: '/login' }] },
    {
      role: 'admin',
      ...login(Role.Admin),
      pages: [
        { name: 'referrals', path: '/referrals' },
        { name: 'new referral', path: '/intake' },
        { name: 'referral', path: `/referrals/${marcus.id}` },
        { name: 'enroll', path: `/referrals/${kevin.id}/enroll` },
        { name: 'groups', path: '/groups' },
        { name: 'new group', path: '/groups/new' },
        { name: 'sessions', path: '/sessions' },
        { name: 'roster', path: `/sessions/${roster}/roster` },
        { name: 'notices', path: '/notices' },
        { name: 'notice', path: `/notices/${await noticeTo(marcus.id, 'court')}` },
        { name: 'not found', path: '/referrals/00000000-0000-4000-8000-000000000000' },
      ],
    },
    {
      role: 'facilitator',
      ...login(Role.Facilitator),
      pages: [
        { name: 'sessions', path: '/sessions' },
        { name: 'roster', path: `/sessions/${roster}/roster` },
      ],
    },
    {
      role: 'probation_officer',
      ...login(Role.ProbationOfficer),
      pages: [
        { name: 'caseload', path: '/caseload' },
        { name: 'referral', path: `/referrals/${marcus.id}` },
        { name: 'inbox', path: '/inbox' },
        { name: 'notice', path: `/notices/${await noticeTo(marcus.id, 'probation_officer')}` },
      ],
    },
    {
      role: 'court_clerk',
      ...login(Role.CourtClerk),
      pages: [
        { name: 'case lookup', path: '/lookup' },
        { name: 'case', path: `/lookup/${marcus.id}` },
        { name: 'inbox', path: '/inbox' },
        { name: 'notice', path: `/notices/${await noticeTo(marcus.id, 'court')}` },
      ],
    },
    {
      role: 'advocate',
      ...login(Role.Advocate),
      pages: [
        { name: 'victim notification', path: '/advocate' },
        { name: 'case', path: `/advocate/referrals/${tyler.id}` },
      ],
    },
    { role: 'coordinator', ...login(Role.Coordinator), pages: [{ name: 'responses', path: '/coordinator' }] },
  ];
  return { testApp, baseUrl, roles };
}

/** A browser context signed in as the role (or not signed in), with a page to walk with. */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  role: RolePages,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (role.email) await signIn(page, baseUrl, role.email, role.password!);
  return { context, page };
}
