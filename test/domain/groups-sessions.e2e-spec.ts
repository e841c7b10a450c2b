import { addDays } from '../../src/common/dates';
import { bearer, Staff } from '../helpers/fixtures';
import {
  createGroup,
  createReferral,
  enroll,
  otherFacilitator,
  pinToday,
  sessionsOf,
  TODAY,
  Reference,
  startProgramApp,
} from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/** Every `weekday`-th day from `from` through `to`, given `from` is on that weekday. */
function weekly(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 7)) dates.push(date);
  return dates;
}

const HORIZON = addDays(TODAY, 56); // today + 8 weeks: 2027-01-20
const WIDE_FROM = '2026-05-01';
const WIDE_TO = '2027-03-31';

describe('groups and sessions', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  function groupBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: `Tuesday men's group ${Math.random().toString(36).slice(2, 7)}`,
      curriculumId: reference.duluth.id,
      weekday: 2,
      startTime: '18:30',
      durationMinutes: 90,
      capacity: 12,
      location: 'Room 2',
      language: 'en',
      facilitatorIds: [staff.users.facilitator.id],
      ...overrides,
    };
  }

  async function groupCount(): Promise<number> {
    const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM groups`);
    return n;
  }

  async function newGroup(options: { weekday?: number; startsOn?: string; capacity?: number } = {}) {
    return createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id], ...options });
  }

  /** A man ordered ten days ago and enrolled from 2026-11-16, so the sessions of 17 and 24 November are his. */
  async function enrolledMan(groupId: string) {
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-15' });
    const { enrollment } = await enroll(testApp, staff, referral.id, groupId, '2026-11-16');
    return { referral, enrollment };
  }

  async function withToday<T>(date: string, work: () => Promise<T>): Promise<T> {
    pinToday(testApp, date);
    try {
      return await work();
    } finally {
      pinToday(testApp);
    }
  }

  describe('creating a group lays out its schedule', () => {
    it('generates a regular session on every Tuesday from startsOn through today + 8 weeks, units 1, 2, 3 … in order', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const expected = weekly('2026-10-20', HORIZON);
      expect(expected).toHaveLength(14);
      expect(expected[13]).toBe('2027-01-19');
      expect(sessions.map((session) => session.date)).toEqual(expected);
      expect(sessions.every((session) => session.kind === 'regular' && session.status === 'scheduled')).toBe(true);
      expect(sessions.map((session) => session.unit?.position)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
      expect(sessions.slice(0, 4).map((session) => session.unit?.theme)).toEqual([
        'Non-violence',
        'Non-violence',
        'Non-violence',
        'Non-threatening behaviour',
      ]);
      expect(sessions.every((session) => (session as unknown as { startTime: string }).startTime === '18:30')).toBe(true);
    });

    it('starts on the first group weekday on or after startsOn when startsOn falls on another day', async () => {
      // 2026-10-15 is a Thursday; the group meets on Mondays.
      const group = await newGroup({ weekday: 1, startsOn: '2026-10-15' });
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(sessions[0].date).toBe('2026-10-19');
      expect(sessions.map((session) => session.date)).toEqual(weekly('2026-10-19', HORIZON));
      expect(sessions).toHaveLength(14);
    });

    it('lays out only the weeks from a future startsOn, and from today when startsOn is left out', async () => {
      const future = await newGroup({ weekday: 4, startsOn: '2026-12-10' });
      const futureSessions = await sessionsOf(testApp, staff, future.id, WIDE_FROM, WIDE_TO);
      expect(futureSessions.map((session) => session.date)).toEqual([
        '2026-12-10',
        '2026-12-17',
        '2026-12-24',
        '2026-12-31',
        '2027-01-07',
        '2027-01-14',
      ]);
      expect(futureSessions.map((session) => session.unit?.position)).toEqual([1, 2, 3, 4, 5, 6]);

      const created = await testApp.http
        .post('/api/v1/groups')
        .set(bearer(staff.tokens.admin))
        .send(groupBody({ weekday: 3 }))
        .expect(201);
      expect(created.body.startsOn).toBe(TODAY);
      const fromToday = await sessionsOf(testApp, staff, created.body.id, WIDE_FROM, WIDE_TO);
      expect(fromToday.map((session) => session.date)).toEqual(weekly(TODAY, HORIZON));
      expect(fromToday).toHaveLength(9);
    });

    it('starts the curriculum over at unit 1 after unit 24', async () => {
      const startsOn = addDays('2026-10-20', -7 * 20); // 2026-06-02, a Tuesday
      const group = await newGroup({ weekday: 2, startsOn });
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(sessions.map((session) => session.date)).toEqual(weekly(startsOn, HORIZON));
      expect(sessions).toHaveLength(34);
      expect(sessions.map((session) => session.unit?.position)).toEqual([
        ...Array.from({ length: 24 }, (_, index) => index + 1),
        ...Array.from({ length: 10 }, (_, index) => index + 1),
      ]);
    });

    it('answers with the group as stored: facilitators, capacity, enrolledCount 0, start time HH:MM', async () => {
      const response = await testApp.http
        .post('/api/v1/groups')
        .set(bearer(staff.tokens.admin))
        .send(
          groupBody({
            name: 'Thursday Spanish group',
            weekday: 4,
            startTime: '09:05',
            capacity: 8,
            language: 'es',
            startsOn: '2026-11-26',
          }),
        )
        .expect(201);
      expect(response.body).toMatchObject({
        name: 'Thursday Spanish group',
        curriculumId: reference.duluth.id,
        weekday: 4,
        startTime: '09:05',
        durationMinutes: 90,
        capacity: 8,
        enrolledCount: 0,
        language: 'es',
        startsOn: '2026-11-26',
        active: true,
        facilitators: [{ id: staff.users.facilitator.id, name: staff.users.facilitator.name }],
      });
    });
  });

  describe('generating sessions again', () => {
    it('creates nothing the second time and leaves the session list as it was', async () => {
      const group = await newGroup({ weekday: 5, startsOn: '2026-11-06' });
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await testApp.http
          .post(`/api/v1/groups/${group.id}/generate-sessions`)
          .set(bearer(staff.tokens.admin))
          .expect(200);
        expect(response.body).toEqual({ created: 0 });
      }
      const after = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(after).toEqual(before);
    });

    it('counts the sessions it adds when the horizon has moved on, then adds none', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      await withToday(addDays(TODAY, 14), async () => {
        const first = await testApp.http.post(`/api/v1/groups/${group.id}/generate-sessions`).set(bearer(staff.tokens.admin)).expect(200);
        expect(first.body).toEqual({ created: 2 });
        const second = await testApp.http.post(`/api/v1/groups/${group.id}/generate-sessions`).set(bearer(staff.tokens.admin)).expect(200);
        expect(second.body).toEqual({ created: 0 });
      });
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(sessions.map((session) => session.date)).toEqual(weekly('2026-10-20', addDays(HORIZON, 14)));
      expect(sessions.slice(-2).map((session) => session.unit?.position)).toEqual([15, 16]);
    });

    it('answers 404 for an unknown group and 403 for a facilitator', async () => {
      await testApp.http
        .post('/api/v1/groups/00000000-0000-4000-8000-000000000000/generate-sessions')
        .set(bearer(staff.tokens.admin))
        .expect(404);
      const group = await newGroup();
      await testApp.http.post(`/api/v1/groups/${group.id}/generate-sessions`).set(bearer(staff.tokens.facilitator)).expect(403);
    });
  });

  describe('cancelling a session', () => {
    it('moves the later scheduled sessions up one unit so no unit is skipped, and keeps the reason', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const target = before.find((session) => session.date === '2026-12-08')!;
      expect(target.unit?.position).toBe(8);

      const response = await testApp.http
        .post(`/api/v1/sessions/${target.id}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Building closed for repairs' })
        .expect(200);
      expect(response.body).toMatchObject({
        id: target.id,
        status: 'cancelled',
        cancelledReason: 'Building closed for repairs',
        unit: null,
      });

      const after = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(after.map((session) => session.date)).toEqual(before.map((session) => session.date));
      const byDate = new Map(after.map((session) => [session.date, session]));
      expect(byDate.get('2026-12-08')).toMatchObject({ status: 'cancelled', unit: null });
      expect(byDate.get('2026-12-01')!.unit?.position).toBe(7);
      expect(byDate.get('2026-12-15')!.unit?.position).toBe(8);
      expect(byDate.get('2026-12-22')!.unit?.position).toBe(9);
      const held = after.filter((session) => session.status !== 'cancelled');
      expect(held.map((session) => session.unit?.position)).toEqual(Array.from({ length: 13 }, (_, index) => index + 1));
      const audit = await testApp.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'session.cancel' AND record_id = $1`,
        [target.id],
      );
      expect(audit[0].n).toBe(1);
    });

    it('does not recreate the cancelled week when sessions are generated again, even as the horizon moves', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const middle = before.find((session) => session.date === '2026-12-15')!;
      const last = before[before.length - 1];
      expect(last.date).toBe('2027-01-19');
      for (const session of [middle, last]) {
        await testApp.http
          .post(`/api/v1/sessions/${session.id}/cancel`)
          .set(bearer(staff.tokens.admin))
          .send({ reason: 'Holiday week' })
          .expect(200);
      }

      const again = await testApp.http.post(`/api/v1/groups/${group.id}/generate-sessions`).set(bearer(staff.tokens.admin)).expect(200);
      expect(again.body).toEqual({ created: 0 });
      await withToday(addDays(TODAY, 7), async () => {
        const moved = await testApp.http.post(`/api/v1/groups/${group.id}/generate-sessions`).set(bearer(staff.tokens.admin)).expect(200);
        expect(moved.body).toEqual({ created: 1 });
      });

      const after = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(after.map((session) => session.date)).toEqual(weekly('2026-10-20', '2027-01-26'));
      expect(after.filter((session) => session.date === '2026-12-15')).toEqual([
        expect.objectContaining({ id: middle.id, status: 'cancelled' }),
      ]);
      expect(after.filter((session) => session.date === '2027-01-19')).toEqual([
        expect.objectContaining({ id: last.id, status: 'cancelled' }),
      ]);
      const running = after.filter((session) => session.status !== 'cancelled');
      expect(running.map((session) => session.unit?.position)).toEqual(Array.from({ length: 13 }, (_, index) => index + 1));
    });

    it('follows on from the unit last held when an earlier unmarked week is cancelled afterwards, repeating none', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-10-15' });
      const { enrollment } = await enroll(testApp, staff, referral.id, group.id, '2026-10-16');
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const onDate = (date: string) => before.find((session) => session.date === date)!;
      // 17 November is held (unit 5); only afterwards is 10 November (unit 4, never marked) recorded as not having met.
      await testApp.http
        .put(`/api/v1/sessions/${onDate('2026-11-17').id}/attendance`)
        .set(bearer(staff.tokens.admin))
        .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
        .expect(200);
      await testApp.http
        .post(`/api/v1/sessions/${onDate('2026-11-10').id}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Did not meet: snow' })
        .expect(200);
      // And a future week is cancelled too.
      await testApp.http
        .post(`/api/v1/sessions/${onDate('2026-12-15').id}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Holiday' })
        .expect(200);

      const after = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(after.map((session) => [session.date, session.status, session.unit?.position ?? null])).toEqual([
        ['2026-10-20', 'scheduled', 1],
        ['2026-10-27', 'scheduled', 2],
        ['2026-11-03', 'scheduled', 3],
        ['2026-11-10', 'cancelled', null],
        ['2026-11-17', 'held', 5],
        ['2026-11-24', 'scheduled', 6],
        ['2026-12-01', 'scheduled', 7],
        ['2026-12-08', 'scheduled', 8],
        ['2026-12-15', 'cancelled', null],
        ['2026-12-22', 'scheduled', 9],
        ['2026-12-29', 'scheduled', 10],
        ['2027-01-05', 'scheduled', 11],
        ['2027-01-12', 'scheduled', 12],
        ['2027-01-19', 'scheduled', 13],
      ]);
    });

    it('refuses to mark a cancelled session with 422 SESSION_CANCELLED and records no mark', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const { enrollment } = await enrolledMan(group.id);
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const past = sessions.find((session) => session.date === '2026-11-17')!;
      await testApp.http
        .post(`/api/v1/sessions/${past.id}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Snow storm' })
        .expect(200);

      const response = await testApp.http
        .put(`/api/v1/sessions/${past.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
        .expect(422);
      expect(response.body.code).toBe('SESSION_CANCELLED');
      const marks = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM attendance_marks WHERE session_id = $1`, [past.id]);
      expect(marks[0].n).toBe(0);
      const [{ status }] = await testApp.dataSource.query(`SELECT status FROM sessions WHERE id = $1`, [past.id]);
      expect(status).toBe('cancelled');
    });

    it('refuses to cancel a session that was held (has marks) with 422 and leaves it held', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const { enrollment } = await enrolledMan(group.id);
      const sessions = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const past = sessions.find((session) => session.date === '2026-11-24')!;
      await testApp.http
        .put(`/api/v1/sessions/${past.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
        .expect(200);

      const response = await testApp.http
        .post(`/api/v1/sessions/${past.id}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Entered by mistake' })
        .expect(422);
      expect(response.body.code).toBe('SESSION_ALREADY_HELD');
      const after = await sessionsOf(testApp, staff, group.id, '2026-11-24', '2026-11-24');
      expect(after).toEqual([
        expect.objectContaining({ id: past.id, status: 'held', unit: expect.objectContaining({ position: past.unit!.position }) }),
      ]);
    });

    it('needs a reason: 400 for a missing or blank reason, and the session stays scheduled', async () => {
      const group = await newGroup();
      const [session] = await sessionsOf(testApp, staff, group.id, TODAY, HORIZON);
      const missing = await testApp.http.post(`/api/v1/sessions/${session.id}/cancel`).set(bearer(staff.tokens.admin)).send({}).expect(400);
      expect(missing.body.fields).toEqual({ reason: ['reason must be longer than or equal to 3 characters', 'reason must be a string'] });
      await testApp.http.post(`/api/v1/sessions/${session.id}/cancel`).set(bearer(staff.tokens.admin)).send({ reason: '   ' }).expect(400);
      const [after] = await sessionsOf(testApp, staff, group.id, session.date, session.date);
      expect(after.status).toBe('scheduled');
    });
  });

  describe('one-off sessions', () => {
    it('accepts a one-off session dated in the past, of kind one_off, without touching the regular units', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const response = await testApp.http
        .post(`/api/v1/groups/${group.id}/sessions`)
        .set(bearer(staff.tokens.admin))
        .send({ date: '2026-11-20' })
        .expect(201);
      expect(response.body).toMatchObject({
        groupId: group.id,
        date: '2026-11-20',
        kind: 'one_off',
        status: 'scheduled',
        startTime: '18:30',
        unit: null,
      });

      const after = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      expect(after).toHaveLength(before.length + 1);
      expect(after.filter((session) => session.kind === 'one_off').map((session) => session.id)).toEqual([response.body.id]);
      const regular = after.filter((session) => session.kind === 'regular');
      expect(regular.map((session) => [session.date, session.unit?.position])).toEqual(
        before.map((session) => [session.date, session.unit?.position]),
      );
    });

    it('may cover a chosen unit of the group curriculum, and refuses a unit of no curriculum of the group with 422', async () => {
      const group = await newGroup();
      const curriculum = await testApp.http.get(`/api/v1/curricula/${reference.duluth.id}`).set(bearer(staff.tokens.admin)).expect(200);
      const unit = curriculum.body.units[4];
      const made = await testApp.http
        .post(`/api/v1/groups/${group.id}/sessions`)
        .set(bearer(staff.tokens.admin))
        .send({ date: '2026-11-21', startTime: '10:00', curriculumUnitId: unit.id })
        .expect(201);
      expect(made.body).toMatchObject({ startTime: '10:00', unit: { id: unit.id, position: 5 } });

      const refused = await testApp.http
        .post(`/api/v1/groups/${group.id}/sessions`)
        .set(bearer(staff.tokens.admin))
        .send({ date: '2026-11-21', curriculumUnitId: '00000000-0000-4000-8000-000000000000' })
        .expect(422);
      expect(refused.body.code).toBe('UNIT_NOT_IN_CURRICULUM');
    });

    it.each([
      ['an impossible date', { date: '2026-02-30' }, ['date']],
      ['a date in another format', { date: '20/11/2026' }, ['date']],
      ['no date', {}, ['date']],
      ['a bad start time and an unknown field', { date: '2026-11-20', startTime: '7pm', room: 'B' }, ['room', 'startTime']],
    ])('refuses a one-off session with %s: 400 naming the fields, nothing written', async (_case, body, fields) => {
      const group = await newGroup();
      const before = await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO);
      const response = await testApp.http
        .post(`/api/v1/groups/${group.id}/sessions`)
        .set(bearer(staff.tokens.admin))
        .send(body)
        .expect(400);
      expect(Object.keys(response.body.fields).sort()).toEqual(fields);
      expect(await sessionsOf(testApp, staff, group.id, WIDE_FROM, WIDE_TO)).toEqual(before);
    });
  });

  describe('listing sessions', () => {
    it('returns only the sessions between from and to, both included, in date order', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-10-20' });
      const november = await sessionsOf(testApp, staff, group.id, '2026-11-03', '2026-11-24');
      expect(november.map((session) => session.date)).toEqual(['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24']);
      const none = await sessionsOf(testApp, staff, group.id, '2026-11-25', '2026-11-30');
      expect(none).toEqual([]);
    });

    it('defaults to four weeks back through eight weeks ahead', async () => {
      const group = await newGroup({ weekday: 2, startsOn: '2026-09-01' });
      const response = await testApp.http.get(`/api/v1/groups/${group.id}/sessions`).set(bearer(staff.tokens.admin)).expect(200);
      const dates = response.body.items.map((session: { date: string }) => session.date);
      // today − 28 days is Wednesday 2026-10-28; today + 56 days is Wednesday 2027-01-20.
      expect(dates).toEqual(weekly('2026-11-03', '2027-01-19'));
      expect(dates).toHaveLength(12);
    });

    it('answers 422 when to is before from', async () => {
      const group = await newGroup();
      const response = await testApp.http
        .get(`/api/v1/groups/${group.id}/sessions?from=2026-12-01&to=2026-11-01`)
        .set(bearer(staff.tokens.admin))
        .expect(422);
      expect(response.body.code).toBe('RANGE_INVALID');
      expect(response.body.details.fields.to).toEqual(['to must not be before from']);
    });

    it('answers 422 for a range over 400 days', async () => {
      const group = await newGroup();
      const response = await testApp.http
        .get(`/api/v1/groups/${group.id}/sessions?from=2026-01-01&to=2027-02-06`)
        .set(bearer(staff.tokens.admin))
        .expect(422);
      expect(response.body.code).toBe('RANGE_TOO_LONG');
      await testApp.http
        .get(`/api/v1/groups/${group.id}/sessions?from=2026-01-01&to=2027-02-05`)
        .set(bearer(staff.tokens.admin))
        .expect(200);
    });

    it.each([
      ['from=2026-13-01&to=2026-12-31', ['from']],
      ['from=2026-11-01&to=yesterday', ['to']],
      ['from=2026-11-1&to=2026-11-31', ['from', 'to']],
      ['from=2026-11-01&colour=red', ['colour']],
    ])('answers 400 naming the bad query fields for ?%s', async (query, fields) => {
      const group = await newGroup();
      const response = await testApp.http.get(`/api/v1/groups/${group.id}/sessions?${query}`).set(bearer(staff.tokens.admin)).expect(400);
      expect(Object.keys(response.body.fields).sort()).toEqual(fields);
    });
  });

  describe('group validation', () => {
    it('answers 400 with a message per bad field and writes no group', async () => {
      const before = await groupCount();
      const response = await testApp.http
        .post('/api/v1/groups')
        .set(bearer(staff.tokens.admin))
        .send(groupBody({ weekday: 8, startTime: '25:00', capacity: 0, facilitatorIds: [], colour: 'blue' }))
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(response.body.fields).toEqual({
        colour: ['colour is not an allowed field'],
        weekday: ['weekday must be an integer from 1 (Monday) to 7 (Sunday)'],
        startTime: ['startTime must be a time written HH:MM (24-hour)'],
        capacity: ['capacity must not be less than 1'],
        facilitatorIds: ['facilitatorIds must name at least one facilitator'],
      });
      expect(response.body.fields).toMatchObject({
        weekday: ['weekday must be an integer from 1 (Monday) to 7 (Sunday)'],
        startTime: ['startTime must be a time written HH:MM (24-hour)'],
        capacity: ['capacity must not be less than 1'],
        facilitatorIds: ['facilitatorIds must name at least one facilitator'],
        colour: ['colour is not an allowed field'],
      });
      expect(await groupCount()).toBe(before);
    });

    it.each([
      ['weekday 0', { weekday: 0 }, 'weekday'],
      ['a weekday given as a string', { weekday: '2' }, 'weekday'],
      ['start time 18:60', { startTime: '18:60' }, 'startTime'],
      ['capacity 31', { capacity: 31 }, 'capacity'],
      ['a facilitatorId that is no UUID', { facilitatorIds: ['bob'] }, 'facilitatorIds'],
      ['a startsOn that is no date', { startsOn: '2026-11-31' }, 'startsOn'],
      ['a missing curriculumId', { curriculumId: undefined }, 'curriculumId'],
    ])('answers 400 for %s', async (_case, overrides, field) => {
      const response = await testApp.http.post('/api/v1/groups').set(bearer(staff.tokens.admin)).send(groupBody(overrides)).expect(400);
      expect(Object.keys(response.body.fields)).toEqual([field]);
    });

    it('answers 422 when facilitatorIds names someone who is not a facilitator, and writes nothing', async () => {
      const before = await groupCount();
      const response = await testApp.http
        .post('/api/v1/groups')
        .set(bearer(staff.tokens.admin))
        .send(groupBody({ facilitatorIds: [staff.users.facilitator.id, staff.users.probation_officer.id] }))
        .expect(422);
      expect(response.body.code).toBe('GROUP_REFERENCES_INVALID');
      expect(response.body.details.fields).toEqual({ facilitatorIds: ['every facilitatorId must name an active facilitator'] });
      expect(await groupCount()).toBe(before);
    });

    it('answers 422 when facilitatorIds or curriculumId name nobody', async () => {
      const response = await testApp.http
        .post('/api/v1/groups')
        .set(bearer(staff.tokens.admin))
        .send(groupBody({ curriculumId: '00000000-0000-4000-8000-000000000000', facilitatorIds: ['00000000-0000-4000-8000-000000000001'] }))
        .expect(422);
      expect(response.body.details.fields).toEqual({
        curriculumId: ['curriculumId must name a curriculum'],
        facilitatorIds: ['every facilitatorId must name an active facilitator'],
      });
    });
  });

  describe('listing groups', () => {
    it('shows a facilitator only the groups he facilitates, and an admin all of them', async () => {
      const colleague = await otherFacilitator(testApp, staff);
      const mine = await newGroup({ weekday: 1 });
      const theirs = await createGroup(testApp, staff, {
        curriculumId: reference.duluth.id,
        facilitatorIds: [colleague.user.id],
        weekday: 1,
      });
      const shared = await createGroup(testApp, staff, {
        curriculumId: reference.duluth.id,
        facilitatorIds: [colleague.user.id, staff.users.facilitator.id],
        weekday: 3,
      });

      const asMe = await testApp.http.get('/api/v1/groups?limit=200').set(bearer(staff.tokens.facilitator)).expect(200);
      const myIds = asMe.body.items.map((group: { id: string }) => group.id);
      expect(myIds).toEqual(expect.arrayContaining([mine.id, shared.id]));
      expect(myIds).not.toContain(theirs.id);
      expect(asMe.body.total).toBe(myIds.length);
      for (const group of asMe.body.items as Array<{ facilitators: Array<{ id: string }> }>) {
        expect(group.facilitators.map((facilitator) => facilitator.id)).toContain(staff.users.facilitator.id);
      }

      const asColleague = await testApp.http.get('/api/v1/groups?limit=200').set(bearer(colleague.token)).expect(200);
      expect(asColleague.body.items.map((group: { id: string }) => group.id).sort()).toEqual([theirs.id, shared.id].sort());
      expect(asColleague.body.total).toBe(2);

      const asAdmin = await testApp.http.get('/api/v1/groups?limit=200').set(bearer(staff.tokens.admin)).expect(200);
      expect(asAdmin.body.total).toBe(await groupCount());
      expect(asAdmin.body.items.map((group: { id: string }) => group.id)).toEqual(expect.arrayContaining([mine.id, theirs.id, shared.id]));

      await testApp.http.get(`/api/v1/groups/${theirs.id}`).set(bearer(staff.tokens.facilitator)).expect(404);
      await testApp.http.get(`/api/v1/groups/${mine.id}`).set(bearer(staff.tokens.facilitator)).expect(200);
    });

    it('shows capacity and how many men are enrolled, and refuses one over capacity with 409', async () => {
      const group = await newGroup({ capacity: 2 });
      const empty = await testApp.http.get(`/api/v1/groups/${group.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(empty.body).toMatchObject({ capacity: 2, enrolledCount: 0 });

      await enrolledMan(group.id);
      await enrolledMan(group.id);
      const full = await testApp.http.get(`/api/v1/groups/${group.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(full.body).toMatchObject({ capacity: 2, enrolledCount: 2 });
      const listed = await testApp.http.get('/api/v1/groups?limit=200').set(bearer(staff.tokens.facilitator)).expect(200);
      expect(listed.body.items.find((item: { id: string }) => item.id === group.id)).toMatchObject({ capacity: 2, enrolledCount: 2 });

      const third = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-15' });
      const refused = await testApp.http
        .post('/api/v1/enrollments')
        .set(bearer(staff.tokens.admin))
        .send({ referralId: third.id, groupId: group.id, startDate: '2026-11-16' })
        .expect(409);
      expect(refused.body.code).toBe('GROUP_FULL');
      const after = await testApp.http.get(`/api/v1/groups/${group.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(after.body.enrolledCount).toBe(2);
    });
  });
});
