import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { SignedInUser } from '../../src/common/auth/signed-in-user';
import { Caseload, CaseloadOptions, CaseloadService } from '../../src/modules/compliance/caseload.service';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { StatementCounter } from '../helpers/statement-counter';
import { RequestContext } from '../../src/common/context/request-context';

/**
 * The caseload counts a man's attendance, why he stands where he does and his new notices for the
 * page's men only (after the LIMIT) unless it is sorted by them: with more men than a page holds, a
 * page sorted by attended or absences must still be the men with the most (or fewest) of the whole
 * caseload, and any other page must show each man's own figures, as the whole caseload read at once
 * shows them.
 */
describe('the caseload’s attendance, why and notices with more men than its page', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let officer: SignedInUser;
  /** The men by how many of the four sessions they attended (index = sessions attended). */
  const men: string[] = [];

  const read = (options: CaseloadOptions): Promise<Caseload> => testApp.app.get(CaseloadService).caseload(officer, options);
  const ids = (caseload: Caseload) => caseload.items.map((item) => item.referralId);

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const user = staff.users.probation_officer;
    officer = { id: user.id, role: Role.ProbationOfficer, agencyId: user.agencyId, email: user.email, name: user.name };
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -35), TODAY)).slice(0, 4);
    const enrollments: string[] = [];
    for (let attended = 0; attended <= 4; attended++) {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -60) });
      men.push(referral.id);
      enrollments.push((await enroll(testApp, staff, referral.id, group.id, sessions[0].date)).enrollment.id);
    }
    // Man k is present at the first k sessions and excused from the rest: k attended, 4 − k absences.
    for (const [week, session] of sessions.entries()) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: enrollments.map((enrollmentId, k) => ({ enrollmentId, status: week < k ? 'present' : 'absent_excused' })) })
        .expect(200);
    }
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('sorted by attended or absences, pages through the whole caseload’s order', async () => {
    expect(ids(await read({ sort: 'attended', descending: true, limit: 2 }))).toEqual([men[4], men[3]]);
    expect(ids(await read({ sort: 'attended', limit: 2, offset: 2 }))).toEqual([men[2], men[3]]);
    expect(ids(await read({ sort: 'absences', limit: 2 }))).toEqual([men[4], men[3]]);
    const mostAbsent = await read({ sort: 'absences', descending: true, limit: 1 });
    expect(mostAbsent.items[0]).toMatchObject({ referralId: men[0], sessionsAttended: 0, absences: 4, lastAttendedOn: null });
  });

  it('sorted otherwise, shows each man’s own figures and the whole caseload’s counts', async () => {
    const whole = await read({ limit: 1000 });
    expect(whole.items).toHaveLength(5);
    const byId = new Map(whole.items.map((item) => [item.referralId, item]));
    for (const [k, id] of men.entries()) expect(byId.get(id)).toMatchObject({ sessionsAttended: k, absences: 4 - k });
    // Four absences in a row cross the policy's limit: his why and his officer's notices are on the page.
    expect(byId.get(men[0])).toMatchObject({ standing: 'non_compliant', why: { kind: 'consecutive_absences' } });
    expect(byId.get(men[0])?.unacknowledgedNotices).toBeGreaterThan(0);
    expect(byId.get(men[4])).toMatchObject({ standing: 'active', why: null });
    for (const sort of ['standing', 'name', 'case', 'deadline', 'notices', 'since'] as const) {
      const pages = [await read({ sort, limit: 2 }), await read({ sort, limit: 2, offset: 2 }), await read({ sort, limit: 2, offset: 4 })];
      expect(pages.flatMap((page) => page.items).sort((a, b) => a.referralId.localeCompare(b.referralId))).toEqual(
        [...whole.items].sort((a, b) => a.referralId.localeCompare(b.referralId)),
      );
      for (const page of pages) expect({ counts: page.counts, total: page.total }).toEqual({ counts: whole.counts, total: whole.total });
    }
  });

  it('has the whole caseload’s counts on every page: with its rows, filtered by standing, searched, and empty', async () => {
    const whole = await read({ limit: 1000 });
    const same = (page: Caseload) => expect(page.counts).toEqual(whole.counts);
    same(await read({ limit: 2 }));
    // Filtered by a standing: the counts are still every standing's, the total that standing's.
    const active = await read({ standing: 'active', limit: 1 });
    same(active);
    expect(active.total).toBe(whole.counts.active);
    // An offset past the last man, and a standing no man has: no rows, the same counts.
    const past = await read({ limit: 2, offset: 10 });
    expect(past.items).toEqual([]);
    same(past);
    expect(past.total).toBe(whole.total);
    const none = await read({ standing: 'terminated', limit: 2 });
    expect({ items: none.items, total: none.total }).toEqual({ items: [], total: 0 });
    same(none);
    // A search counts the men it finds, with rows or without.
    const found = await read({ search: whole.items[0].caseNumber, limit: 2 });
    expect(found.total).toBe(1);
    expect(found.counts[whole.items[0].standing]).toBe(1);
    const nobody = await read({ search: 'no such man anywhere', limit: 2 });
    expect({ items: nobody.items, total: nobody.total }).toEqual({ items: [], total: 0 });
  });

  it('reads why and the notices of the page’s men only, unless sorted by them', async () => {
    const counter = new StatementCounter().install();
    /** The page's own rows, chosen before the LIMIT: the statement's text from the page's select to its LIMIT. */
    const pageOf = async (options: CaseloadOptions) => {
      const requestId = `caseload-${options.sort ?? 'standing'}`;
      await RequestContext.run({ requestId, ipAddress: null }, () => read({ ...options, limit: 2 }));
      const [sql] = counter.of(requestId).filter((statement) => /caseload_order/.test(statement));
      return sql.slice(sql.indexOf('FROM (SELECT r.id'), sql.indexOf('LIMIT $'));
    };
    try {
      for (const sort of ['standing', 'name', 'case', 'deadline'] as const) {
        const page = await pageOf({ sort });
        expect(page).not.toMatch(/FROM notices n/);
        expect(page).not.toMatch(/FROM compliance_events e\s+WHERE e\.referral_id/);
      }
      expect(await pageOf({ sort: 'notices' })).toMatch(/FROM notices n/);
      expect(await pageOf({ sort: 'since' })).toMatch(/FROM compliance_events e\s+WHERE e\.referral_id/);
    } finally {
      counter.uninstall();
    }
  });
});
