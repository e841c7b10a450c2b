import fc from 'fast-check';
import { percentile } from '../../src/modules/accountability/accountability-figures';
import { AccountabilitySummary } from '../../src/modules/accountability/accountability.view';
import { bearer, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { buildHistory, History } from './accountability-history';

/** Every figure of October 2026 on the hand-built history (accountability-history.ts says why each is what it is). */
describe('the accountability view computes every figure of a known history', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let history: History;
  let october: AccountabilitySummary;

  const summary = async (role: 'admin' | 'coordinator' | 'probation_officer' | 'court_clerk', query: string) =>
    (await testApp.http.get(`/api/v1/accountability/summary?${query}`).set(bearer(staff.tokens[role])).expect(200))
      .body as AccountabilitySummary;
  const csv = async (
    role: 'admin' | 'coordinator' | 'probation_officer' | 'court_clerk',
    table: string,
    query = 'from=2026-10-01&to=2026-10-31',
  ) => {
    const response = await testApp.http
      .get(`/api/v1/accountability/export/${table}?${query}`)
      .set(bearer(staff.tokens[role]))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    return response.body as string;
  };

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    history = await buildHistory(testApp, staff, reference);
    const [{ n }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM compliance_events`);
    expect(n).toBe(11);
    october = await summary('admin', 'from=2026-10-01&to=2026-10-31');
  });
  afterAll(() => testApp.close());

  it('counts October’s violations in the program’s zone: a crossing at 23:30 on 31 October is October’s, one at 23:30 on 30 September is not; withdrawn ones and program decisions are no crossings', () => {
    expect(october.period).toEqual({ from: '2026-10-01', to: '2026-10-31', timeZone: 'America/Chicago', trendFrom: '2025-11-01' });
    expect(october.scope).toBe('program');
    // E1, E2, E3, E4 (31 Oct 23:30 local) and F; not EX or RF2's (withdrawn), not E5 (30 Sep local), not the reinstatement.
    expect(october.violations).toBe(5);
  });

  it('Swift: hours from the crossing to notice, acknowledgement and first response — median, 90th percentile, max — and the share within each deadline', () => {
    const byAgency = Object.fromEntries(october.swift.map((row) => [row.agency, row]));
    const spread = (value: { count: number; median: number | null; p90: number | null; max: number | null }) => ({
      count: value.count,
      median: value.median === null ? null : Number(value.median.toFixed(4)),
      p90: value.p90 === null ? null : Number(value.p90.toFixed(4)),
      max: value.max,
    });
    // Probation: notices at 2, 4, 24, 1 h; acknowledged at 24 and 48 h; answered at 96 h and at 24 h (E2: before acknowledging).
    expect(byAgency.probation.notices).toBe(4);
    expect(spread(byAgency.probation.toNotice)).toEqual({ count: 4, median: 3, p90: 18, max: 24 });
    expect(spread(byAgency.probation.toAcknowledgement)).toEqual({ count: 2, median: 36, p90: 45.6, max: 48 });
    expect(spread(byAgency.probation.toFirstResponse)).toEqual({ count: 2, median: 60, p90: 88.8, max: 96 });
    // Court: notices at 1, 0.5, 72, 2 h; acknowledged at 72 h once; answered at 240 h (hearing set) and 24 h (warrant).
    expect(spread(byAgency.court.toNotice)).toEqual({ count: 4, median: 1.5, p90: 51, max: 72 });
    expect(spread(byAgency.court.toAcknowledgement)).toEqual({ count: 1, median: 72, p90: 72, max: 72 });
    expect(spread(byAgency.court.toFirstResponse)).toEqual({ count: 2, median: 132, p90: 218.4, max: 240 });
    expect(spread(byAgency.all.toNotice)).toEqual({ count: 8, median: 2, p90: 38.4, max: 72 });
    expect(spread(byAgency.all.toAcknowledgement)).toEqual({ count: 3, median: 48, p90: 67.2, max: 72 });
    expect(spread(byAgency.all.toFirstResponse)).toEqual({ count: 4, median: 60, p90: 196.8, max: 240 });

    // Deadlines: E3's court notice went after its due-by. Acknowledging within 3 business days of sending: probation E1 and E2;
    // the court only E1 (Thu 8 Oct 15:00, an hour before Mon 16:00 + 3 business days). Answering within 10 / 22 business days:
    // probation E1 and E2, the court E1 (hearing set 15 Oct) and E4 (warrant the next day); the rest passed unanswered.
    const within = (row: (typeof october.swift)[number]) =>
      [row.toNotice.withinDeadline, row.toAcknowledgement.withinDeadline, row.toFirstResponse.withinDeadline].map(
        (s) => `${s.count}/${s.of}`,
      );
    expect(within(byAgency.probation)).toEqual(['4/4', '2/4', '2/4']);
    expect(within(byAgency.court)).toEqual(['3/4', '1/4', '2/4']);
    expect(within(byAgency.all)).toEqual(['7/8', '3/8', '4/8']);
  });

  it('Sure: the share of violations told to the court with a court action, by court; the share with no response at all, with the list', () => {
    expect(october.sure.overall).toMatchObject({
      violations: 5,
      courtAction: { count: 2, of: 4, share: 0.5 },
      noResponse: { count: 2, of: 5, share: 0.4 },
    });
    const byCourt = Object.fromEntries(october.sure.byCourt.map((row) => [row.courtId, row]));
    expect(byCourt[staff.court.id]).toMatchObject({ violations: 3, courtAction: { count: 1, of: 2 }, noResponse: { count: 1, of: 3 } });
    expect(byCourt[history.courtB]).toMatchObject({
      court: 'Second District Court',
      violations: 2,
      courtAction: { count: 1, of: 2 },
      noResponse: { count: 1, of: 2 },
    });
    expect(october.sure.unanswered.total).toBe(2);
    expect(october.sure.unanswered.items.map((item) => [item.eventId, item.caseNumber, item.crossedOn])).toEqual([
      [history.events.F, history.referrals.RF.caseNumber, '2026-10-13'],
      [history.events.E3, history.referrals.R3.caseNumber, '2026-10-20'],
    ]);
  });

  it('Outcomes: days to enrollment, failure to enroll, completion and termination, sessions before termination (a cancelled session counts for nobody)', () => {
    const overall = october.outcomes.overall;
    expect({ ...overall.enrollmentDays, p90: Number(overall.enrollmentDays.p90!.toFixed(4)) }).toEqual({
      count: 3,
      median: 11,
      p90: 30.2,
      max: 35,
    });
    // Enroll-by in October: R1, R2, RF (failure stands), RF2 (withdrawn).
    expect(overall.failedToEnroll).toEqual({ count: 1, of: 4, share: 0.25 });
    // Ended in October: T terminated, C completed, C2 completed at 23:00 on 31 October; X closed, in neither.
    expect(overall.completed).toMatchObject({ count: 2, of: 3 });
    expect(overall.terminated).toMatchObject({ count: 1, of: 3 });
    expect(overall.sessionsBeforeTermination).toEqual({ count: 1, median: 2, p90: 2, max: 2 });
    const group = october.outcomes.byGroup.find((row) => row.value === history.groupId)!;
    expect(group.label).toBe(history.groupName);
    expect(group.completed).toMatchObject({ count: 2, of: 3 });
    const courtB = october.outcomes.byCourt.find((row) => row.value === history.courtB)!;
    expect(courtB.enrollmentDays).toMatchObject({ count: 1, median: 35 });
    expect(october.outcomes.byPolicy.map((row) => row.label)).toEqual([reference.duluthPolicy.name]);
  });

  it('Disparity: the same rates by language and group, and no flag on counts below the minimum', () => {
    const spanish = october.disparity.byLanguage.find((row) => row.value === 'es')!;
    expect(spanish.label).toBe('Spanish');
    expect(spanish.courtAction).toEqual({ count: 0, of: 1, share: 0 });
    expect(spanish.failedToEnroll).toEqual({ count: 0, of: 1, share: 0 });
    const english = october.disparity.byLanguage.find((row) => row.value === 'en')!;
    expect(english.courtAction).toEqual({ count: 2, of: 3, share: 2 / 3 });
    expect(october.disparity.minimumCount).toBe(10);
    expect(october.disparity.flags).toEqual([]);
  });

  it('Trends: twelve months ending with the period’s month, September holding only the crossing at 23:30 on 30 September', () => {
    expect(october.trends).toHaveLength(12);
    expect(october.trends[0].month).toBe('2025-11');
    const byMonth = Object.fromEntries(october.trends.map((month) => [month.month, month]));
    expect(byMonth['2026-09']).toMatchObject({ violations: 1, noResponse: { count: 1, of: 1 } });
    // October: first responses at 96 (E1), 24 (E2), 24 (E4) hours.
    expect(byMonth['2026-10']).toMatchObject({
      violations: 5,
      medianHoursToFirstResponse: 24,
      courtAction: { count: 2, of: 4 },
      completed: { count: 2, of: 3 },
      failedToEnroll: { count: 1, of: 4 },
    });
    expect(byMonth['2026-08'].violations).toBe(0);
  });

  it('narrows to a filter: a language, a court, a group; and to a probation officer’s or a clerk’s own agency', async () => {
    expect((await summary('admin', 'from=2026-10-01&to=2026-10-31&language=ES')).violations).toBe(1);
    expect((await summary('admin', `from=2026-10-01&to=2026-10-31&courtId=${history.courtB}`)).violations).toBe(2);
    expect((await summary('admin', `from=2026-10-01&to=2026-10-31&probationAgencyId=${history.otherProbation}`)).violations).toBe(1);
    expect((await summary('admin', `from=2026-10-01&to=2026-10-31&groupId=${history.groupId}`)).violations).toBe(4);
    expect((await summary('admin', `from=2026-10-01&to=2026-10-31&policyId=${history.policyId}`)).violations).toBe(5);
    const clerk = await summary('court_clerk', 'from=2026-10-01&to=2026-10-31');
    expect(clerk.scope).toBe('agency');
    expect(clerk.violations).toBe(3);
    expect(clerk.sure.byCourt.map((row) => row.courtId)).toEqual([staff.court.id]);
    // The clerk asking for another court gets her own court's nothing, not the other's figures.
    expect((await summary('court_clerk', `from=2026-10-01&to=2026-10-31&courtId=${history.courtB}`)).violations).toBe(0);
    // R3's officer is of another department: the staff officer sees E1, E2, E4 and F.
    expect((await summary('probation_officer', 'from=2026-10-01&to=2026-10-31')).violations).toBe(4);
    expect((await summary('coordinator', 'from=2026-10-01&to=2026-10-31')).violations).toBe(5);
  });

  it('refuses bad filters with a 400 naming each field, never a 500', async () => {
    const bad = await testApp.http
      .get('/api/v1/accountability/summary?from=2026-13-01&to=2026-01-01&courtId=nope&language=%3Dcmd&extra=1')
      .set(bearer(staff.tokens.admin))
      .expect(400);
    expect(bad.body.fields).toEqual({
      extra: ['extra is not an allowed field'],
      from: ['from must be a date written YYYY-MM-DD'],
      courtId: ['courtId must be an agency id (UUID)'],
      language: ['language must be a language code such as en or es'],
    });
    const backwards = await testApp.http
      .get('/api/v1/accountability/summary?from=2026-10-31&to=2026-10-01')
      .set(bearer(staff.tokens.admin))
      .expect(400);
    expect(backwards.body.fields.to).toEqual(['to must be on or after from']);
    const long = await testApp.http
      .get('/api/v1/accountability/summary?from=2016-01-01&to=2026-01-01')
      .set(bearer(staff.tokens.admin))
      .expect(400);
    expect(long.body.fields.to).toEqual(['the period may be at most 1830 days (five years)']);
    const table = await testApp.http.get('/api/v1/accountability/export/everything').set(bearer(staff.tokens.admin)).expect(400);
    expect(table.body.fields.table[0]).toMatch(/^table must be one of/);
  });

  it('exports the rows under the figures: each October violation with its dates and responses, oldest first, audited', async () => {
    const text = await csv('admin', 'violations');
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',').slice(0, 4)).toEqual(['event id', 'case number', 'participant', 'court']);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([
      history.events.E1,
      history.events.E2,
      history.events.F,
      history.events.E3,
      history.events.E4,
    ]);
    const e1 = lines[1];
    expect(e1).toContain(history.participantName);
    expect(e1).toContain('2026-10-05T15:00:00.000Z');
    expect(e1).toContain('2026-10-09T15:00:00.000Z,warning_given');
    // The group's name began with "=": written as text, not a formula.
    expect(e1).toContain(`'${history.groupName}`);
    expect(text).not.toContain(`,${history.groupName}`);
    const audits = await testApp.dataSource.query(
      `SELECT details FROM audit_entries WHERE action = 'accountability.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(audits[0].details).toMatchObject({
      table: 'violations',
      participantNames: true,
      filters: { from: '2026-10-01', to: '2026-10-31' },
    });
  });

  it('gives the coordinator no participant name, no victim data and no note in any export (the canary)', async () => {
    const files = await Promise.all(
      ['violations', 'unanswered', 'swift', 'sure', 'outcomes', 'disparity', 'trends'].map((table) => csv('coordinator', table)),
    );
    const admin = await Promise.all(['violations', 'unanswered'].map((table) => csv('admin', table)));
    for (const text of files) {
      expect(text).not.toContain('Zebulon');
      expect(text).not.toContain('Quartermaine');
    }
    for (const text of [...files, ...admin]) {
      expect(text).not.toContain('VICTIM-9ZP');
      expect(text).not.toContain('NOTE-7Q2');
      expect(text).not.toContain('DETAILS-4KX');
    }
    expect(files[0].split('\r\n')[0]).not.toContain('participant');
    expect(files[1].trim().split('\r\n')).toHaveLength(3);
    // The control: the markers are really in the database to be found.
    const [{ n }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM attendance_marks WHERE note LIKE 'NOTE-7Q2%'`);
    expect(n).toBe(1);
  });

  it('exports every table as the page shows it, every share with the counts it rests on', async () => {
    const sure = (await csv('admin', 'sure'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(sure[0]).toBe(
      'court,violations,court action: count,court action: of,court action: share,no response: count,no response: of,no response: share',
    );
    expect(sure[sure.length - 1]).toBe('All courts,5,2,4,0.5,2,5,0.4');
    const trends = (await csv('admin', 'trends')).trim().split('\r\n');
    expect(trends).toHaveLength(13);
    expect(trends.find((line) => line.startsWith('2026-10'))).toBe('2026-10,5,24,2,4,0.5,2,5,0.4,2,3,0.6667,1,4,0.25');
  });

  it('counts business deadlines by the program calendar exactly as add_business_days does (property, through PostgreSQL)', async () => {
    const { calendarSql, businessDeadline, businessDeadlineFromLocal, PROGRAM_ZONE_SESSION } =
      await import('../../src/modules/accountability/accountability.sql');
    const zone = `'America/Chicago'::text`;
    const p = {
      zone,
      from: `'2026-01-01'::date`,
      to: `'2026-12-31'::date`,
      windowFrom: `'2026-01-01'::date`,
      trendFrom: `'2026-01-01'::date`,
      now: `'2026-12-01T00:00:00Z'::timestamptz`,
      kinds: '',
      local: (instant: string) => `((${instant}) AT TIME ZONE ${zone})`,
      instant: (local: string) => `((${local}) AT TIME ZONE ${zone})`,
    };
    const deadline = businessDeadline('x.start', 'x.days', p);
    // The same calendar and deadline with the program's zone as the session's (bindPeriod's sessionZone, the Swift figures).
    const inZone = { ...p, local: (instant: string) => `(${instant})::timestamp`, instant: (local: string) => `(${local})::timestamptz` };
    const deadlineInZone = businessDeadlineFromLocal('x.start', inZone.local('x.start'), 'x.days', inZone.instant);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 340 * 24 * 60 }), fc.integer({ min: 0, max: 25 }), async (minutes, days) => {
        const start = new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString();
        const [row] = await testApp.dataSource.query(
          `WITH cal AS (${calendarSql(p)}), x AS (SELECT $1::timestamptz AS start, $2::int AS days)
           SELECT ${deadline} AS ours, add_business_days(x.start, x.days, 'America/Chicago') AS theirs FROM x`,
          [start, days],
        );
        expect(new Date(row.ours).toISOString()).toBe(new Date(row.theirs).toISOString());
        const [inZoneRow] = await testApp.dataSource.transaction(async (manager) => {
          await manager.query(PROGRAM_ZONE_SESSION, ['America/Chicago']);
          return manager.query(
            `WITH cal AS (${calendarSql(inZone)}), x AS (SELECT $1::timestamptz AS start, $2::int AS days) SELECT ${deadlineInZone} AS ours FROM x`,
            [start, days],
          );
        });
        expect(new Date(inZoneRow.ours).toISOString()).toBe(new Date(row.theirs).toISOString());
      }),
      { numRuns: 60 },
    );
  });

  it('takes the median and the 90th percentile in PostgreSQL exactly as the figures define them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }), async (values) => {
        const [row] = await testApp.dataSource.query(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY v) AS p90 FROM unnest($1::float8[]) v`,
          [values.map((value) => value / 10)],
        );
        const tenths = values.map((value) => value / 10);
        expect(row.median).toBeCloseTo(percentile(tenths, 0.5)!, 9);
        expect(row.p90).toBeCloseTo(percentile(tenths, 0.9)!, 9);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the accountability view names a disparity of impact in plain words', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    let reference: Reference;
    ({ testApp, staff, reference } = await startProgramApp());
    const { createReferral } = await import('../helpers/domain');
    // Twelve Spanish-speaking men and twelve English-speaking, all due to enroll by 4 October; eight and one of them failed.
    for (let i = 0; i < 24; i++) {
      const spanish = i < 12;
      const made = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-09-20' });
      if (spanish)
        await testApp.dataSource.query(
          `UPDATE participants SET language = 'es' WHERE id = (SELECT participant_id FROM referrals WHERE id = $1)`,
          [made.id],
        );
      if ((spanish && i < 8) || i === 12) {
        await testApp.dataSource.query(
          `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, created_at) VALUES ($1, 'failed_to_enroll', 'enroll_by:2026-10-04', '2026-10-05', '{}', '2026-10-05T11:00:00Z')`,
          [made.id],
        );
      }
    }
  });
  afterAll(() => testApp.close());

  it('flags the language whose failure-to-enroll rate stands more than ten points from the rest, with the counts', async () => {
    const { body } = await testApp.http
      .get('/api/v1/accountability/summary?from=2026-10-01&to=2026-10-31')
      .set(bearer(staff.tokens.coordinator))
      .expect(200);
    const words = (body as AccountabilitySummary).disparity.flags
      .filter((flag) => flag.dimension === 'language' && flag.rateName === 'failed to enroll')
      .map((flag) => flag.words);
    expect(words).toEqual([
      'English: failed to enroll 8 % (1 of 12), lower than the rest at 67 % (8 of 12)',
      'Spanish: failed to enroll 67 % (8 of 12), higher than the rest at 8 % (1 of 12)',
    ]);
    const csv = await testApp.http
      .get('/api/v1/accountability/export/disparity?from=2026-10-01&to=2026-10-31')
      .set(bearer(staff.tokens.coordinator))
      .expect(200);
    expect(csv.text).toMatch(/language,Spanish,8,12,0\.6667,.*,yes\r\n/);
  });
});
