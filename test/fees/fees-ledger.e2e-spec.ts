import fc from 'fast-check';
import { addDays } from '../../src/common/dates';
import { nextCharge } from '../../src/modules/fees/fee-rules';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, sessionsOf, TODAY, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { Role } from '../../src/common/auth/role.enum';
import { createUser, signIn } from '../helpers/fixtures';

describe('the fees ledger', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let feePolicyId: string;
  let cappedPolicyId: string;

  const admin = () => bearer(staff.tokens.admin);
  const policyBody = (overrides: Record<string, unknown>) => ({
    name: `Fee program ${Math.random().toString(36).slice(2, 8)}`,
    requiredSessions: 4,
    sessionMinutes: 90,
    enrollWithinDays: 21,
    completeWithinMonths: 10,
    maxAbsences: 10,
    maxUnexcusedAbsences: 10,
    maxConsecutiveAbsences: 10,
    noAttendanceDays: 60,
    progressReportEveryDays: 60,
    violationReportBusinessDays: 3,
    feesRequired: true,
    sessionFeeCents: 4000,
    intakeFeeCents: 5000,
    feeBrackets: [
      { key: 'A', label: 'Up to $1,000 a month', period: 'month', upToIncomeCents: 100000, sessionFeeCents: 0 },
      { key: 'B', label: 'Up to $2,500 a month', period: 'month', upToIncomeCents: 250000, percentOfSessionFee: 50 },
      { key: 'C', label: 'Above $2,500 a month', period: 'month', upToIncomeCents: null, percentOfSessionFee: 100 },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    feePolicyId = (await testApp.http.post('/api/v1/policies').set(admin()).send(policyBody({})).expect(201)).body.id;
    cappedPolicyId = (
      await testApp.http
        .post('/api/v1/policies')
        .set(admin())
        .send(policyBody({ feeTotalCapCents: 12000 }))
        .expect(201)
    ).body.id;
  });
  afterAll(() => testApp.close());

  async function enrolled(policyId = feePolicyId, probationOfficerId?: string) {
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      startsOn: addDays(TODAY, -60),
      capacity: 30,
    });
    const referral = await createReferral(testApp, staff, { policyId, orderedOn: addDays(TODAY, -62), probationOfficerId });
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), TODAY)).filter((s) => s.date <= TODAY);
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    return { referral, sessions, enrollment };
  }
  const mark = (sessionId: string, enrollmentId: string, status: string) =>
    testApp.http
      .put(`/api/v1/sessions/${sessionId}/attendance`)
      .set(admin())
      .send({ marks: [{ enrollmentId, status }] })
      .expect(200);
  const ledger = async (referralId: string) =>
    (await testApp.http.get(`/api/v1/referrals/${referralId}/fees`).set(admin()).expect(200)).body;

  describe('charges from the attendance save', () => {
    it('charges the intake fee and the session at his first session attended, once however often the roster is saved', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      await mark(sessions[0].id, enrollment.id, 'present');
      await mark(sessions[0].id, enrollment.id, 'late');
      const body = await ledger(referral.id);
      expect(
        body.entries.map((entry: { kind: string; chargeFor: string; amountCents: number }) => [
          entry.kind,
          entry.chargeFor,
          entry.amountCents,
        ]),
      ).toEqual([
        ['charge', 'intake', 5000],
        ['charge', 'session', 4000],
      ]);
      expect(body).toMatchObject({ balanceCents: 9000, chargedCents: 9000, settled: false, feesRequired: true });
      const audits = await testApp.dataSource.query(
        `SELECT action, actor_user_id FROM audit_entries WHERE record_type = 'fee_entry' AND details->>'referralId' = $1`,
        [referral.id],
      );
      expect(audits).toHaveLength(2);
      expect(
        audits.every(
          (audit: { action: string; actor_user_id: string }) =>
            audit.action === 'fees.charge' && audit.actor_user_id === staff.users.admin.id,
        ),
      ).toBe(true);
    });

    it('charges nothing for an absence, and reverses a charge by an adjustment when the mark is corrected; marked again, charges again', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'absent_unexcused');
      expect((await ledger(referral.id)).entries).toEqual([]);
      await mark(sessions[1].id, enrollment.id, 'present');
      await mark(sessions[1].id, enrollment.id, 'absent_excused');
      let body = await ledger(referral.id);
      expect(body.entries.map((entry: { kind: string; amountCents: number }) => [entry.kind, entry.amountCents])).toEqual([
        ['charge', 5000],
        ['charge', 4000],
        ['adjustment', -4000],
      ]);
      expect(body.entries[2]).toMatchObject({ sessionId: sessions[1].id, reason: 'mark corrected: the session no longer counts' });
      expect(body.balanceCents).toBe(5000);
      await mark(sessions[1].id, enrollment.id, 'absent_excused');
      await mark(sessions[1].id, enrollment.id, 'present');
      body = await ledger(referral.id);
      expect(body.entries).toHaveLength(4);
      expect(body.balanceCents).toBe(9000);
      // Left early does not count under this policy: no charge.
      await mark(sessions[2].id, enrollment.id, 'left_early');
      expect((await ledger(referral.id)).balanceCents).toBe(9000);
      const [{ n }] = await testApp.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'fees.reverse' AND details->>'referralId' = $1`,
        [referral.id],
      );
      expect(n).toBe(1);
    });

    it('charges later sessions at his income bracket’s fee; earlier charges stand; the bracket history is kept', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      const recorded = await testApp.http
        .put(`/api/v1/referrals/${referral.id}/fees/income-bracket`)
        .set(admin())
        .send({ bracket: 'B' })
        .expect(200);
      expect(recorded.body).toMatchObject({
        sessionFeeCents: 2000,
        incomeBracket: { bracket: 'B', sessionFeeCents: 2000, label: 'Up to $2,500 a month' },
      });
      await mark(sessions[1].id, enrollment.id, 'present');
      // By his income instead of the key: $900 a month falls in bracket A; the income itself is not kept.
      const byIncome = await testApp.http
        .put(`/api/v1/referrals/${referral.id}/fees/income-bracket`)
        .set(admin())
        .send({ incomeCents: 90000, period: 'month' })
        .expect(200);
      expect(byIncome.body.incomeBracket).toMatchObject({ bracket: 'A', sessionFeeCents: 0 });
      const stored = JSON.stringify(
        await testApp.dataSource.query(`SELECT * FROM referral_income_brackets WHERE referral_id = $1`, [referral.id]),
      );
      expect(stored).not.toContain('90000');
      await mark(sessions[2].id, enrollment.id, 'present');
      const body = await ledger(referral.id);
      expect(
        body.entries
          .filter((entry: { chargeFor: string }) => entry.chargeFor === 'session')
          .map((entry: { amountCents: number }) => entry.amountCents),
      ).toEqual([4000, 2000]);
      expect(body.balanceCents).toBe(11000);
      expect(body.incomeBracketHistory.map((row: { bracket: string }) => row.bracket)).toEqual(['A', 'B']);
      const [audit] = await testApp.dataSource.query(
        `SELECT details FROM audit_entries WHERE action = 'fees.income_bracket' AND record_id = $1 ORDER BY id LIMIT 1`,
        [referral.id],
      );
      expect(audit.details).toMatchObject({ bracket: 'B', sessionFeeCents: 2000 });
    });

    it('reads the same ledger in the one statement that checks his reach as a change reads in its transaction', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      await mark(sessions[1].id, enrollment.id, 'present');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(admin())
        .send({ amountCents: 2500, method: 'money_order', note: 'MO 88213' })
        .expect(201);
      await testApp.http.put(`/api/v1/referrals/${referral.id}/fees/income-bracket`).set(admin()).send({ bracket: 'A' }).expect(200);
      // The bracket's answer is the ledger read row by row in the change's transaction; the GET reads it as json.
      const written = await testApp.http
        .put(`/api/v1/referrals/${referral.id}/fees/income-bracket`)
        .set(admin())
        .send({ bracket: 'B' })
        .expect(200);
      expect(written.body.entries.length).toBeGreaterThanOrEqual(4);
      expect(written.body.incomeBracketHistory).toHaveLength(2);
      expect(await ledger(referral.id)).toEqual(written.body);
    });

    it('stops charging at the policy’s cap, trimming the charge that reaches it', async () => {
      const { referral, sessions, enrollment } = await enrolled(cappedPolicyId);
      for (const session of sessions.slice(0, 4)) await mark(session.id, enrollment.id, 'present');
      const body = await ledger(referral.id);
      // $50 intake + $40 + a trimmed $30 = the $120 cap; the fourth session is not charged.
      expect(body.entries.map((entry: { amountCents: number }) => entry.amountCents)).toEqual([5000, 4000, 3000]);
      expect(body.chargedCents).toBe(12000);
    });
  });

  describe('the roster save against the model of the ledger', () => {
    /** The rules of fee-rules.ts, applied save by save: what the ledger must hold after any run of marks. */
    function model(saves: Array<[number, string]>, fees: { intake: number; session: number; cap: number }) {
      const charged = new Map<number, number[]>();
      const reversed = new Map<number, number>();
      let towards = 0;
      let intake = false;
      let balance = 0;
      for (const [session, status] of saves) {
        const attended = status === 'present' || status === 'late';
        const charges = charged.get(session) ?? [];
        const reversals = reversed.get(session) ?? 0;
        let intakeNow = 0;
        if (attended && !intake) {
          intakeNow = nextCharge(fees.intake, fees.cap, towards);
          if (intakeNow > 0) intake = true;
        }
        if (attended && charges.length === reversals) {
          const amount = nextCharge(fees.session, fees.cap, towards + intakeNow);
          if (amount > 0) {
            charged.set(session, [...charges, amount]);
            towards += amount;
            balance += amount;
          }
        } else if (!attended && charges.length > reversals) {
          reversed.set(session, reversals + 1);
          towards -= charges.at(-1)!;
          balance -= charges.at(-1)!;
        }
        towards += intakeNow;
        balance += intakeNow;
      }
      return balance;
    }

    it('holds the balance the model says for any run of marks and corrections, within the cap', async () => {
      const status = fc.constantFrom('present', 'late', 'absent_unexcused', 'absent_excused', 'left_early');
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), status), { minLength: 1, maxLength: 8 }), async (saves) => {
          const { referral, sessions, enrollment } = await enrolled(cappedPolicyId);
          for (const [session, mark] of saves) {
            await testApp.http
              .put(`/api/v1/sessions/${sessions[session].id}/attendance`)
              .set(admin())
              .send({ marks: [{ enrollmentId: enrollment.id, status: mark }] })
              .expect(200);
          }
          const body = await ledger(referral.id);
          expect(body.balanceCents).toBe(model(saves, { intake: 5000, session: 4000, cap: 12000 }));
          expect(
            (body.chargedCents as number) +
              (body.entries as Array<{ kind: string; amountCents: number }>)
                .filter((entry: { kind: string }) => entry.kind === 'adjustment')
                .reduce((sum: number, entry: { amountCents: number }) => sum + entry.amountCents, 0),
          ).toBeLessThanOrEqual(12000);
        }),
        { numRuns: 8 },
      );
    });
  });

  describe('payments, adjustments, waivers', () => {
    it('numbers receipts without gaps or repeats when payments come at once', async () => {
      const { referral } = await enrolled();
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          testApp.http.post(`/api/v1/referrals/${referral.id}/fees/payments`).set(admin()).send({ amountCents: 100, method: 'cash' }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(6).fill(201));
      const numbers = responses.map((response) => response.body.receiptNumber as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 6 }, (_, index) => numbers[0] + index));
    });

    it('records a payment with the next receipt number and who recorded it, and audits it', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      const first = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(admin())
        .send({ amountCents: 2500, method: 'money_order', note: 'MO 88213' })
        .expect(201);
      const second = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(admin())
        .send({ amountCents: 1000, method: 'cash' })
        .expect(201);
      expect(first.body).toMatchObject({
        kind: 'payment',
        amountCents: -2500,
        method: 'money_order',
        reason: 'MO 88213',
        recordedBy: staff.users.admin.name,
      });
      expect(second.body.receiptNumber).toBe((first.body.receiptNumber as number) + 1);
      expect(await ledger(referral.id)).toMatchObject({ balanceCents: 5500, paidCents: 3500 });
      const [audit] = await testApp.dataSource.query(`SELECT action, actor_user_id, details FROM audit_entries WHERE record_id = $1`, [
        first.body.id,
      ]);
      expect(audit).toMatchObject({
        action: 'fees.payment',
        actor_user_id: staff.users.admin.id,
        details: { amountCents: -2500, method: 'money_order' },
      });
    });

    it('refuses bad input field by field, and writes nothing', async () => {
      const { referral } = await enrolled();
      const cases: Array<[string, Record<string, unknown>, string[]]> = [
        ['payments', { amountCents: 0, method: 'cash' }, ['amountCents']],
        ['payments', { amountCents: 12.5, method: 'bitcoin' }, ['amountCents', 'method']],
        ['payments', { amountCents: '2500', method: 'cash' }, ['amountCents']],
        ['payments', {}, ['amountCents', 'method']],
        ['adjustments', { amountCents: 0, reason: '' }, ['amountCents', 'reason']],
        ['adjustments', { amountCents: 500 }, ['reason']],
        ['waivers', { amountCents: -5, reason: 'x' }, ['amountCents']],
        ['waivers', {}, ['reason']],
      ];
      for (const [route, body, fields] of cases) {
        const response = await testApp.http.post(`/api/v1/referrals/${referral.id}/fees/${route}`).set(admin()).send(body).expect(400);
        expect(Object.keys(response.body.fields).sort()).toEqual(fields);
      }
      const bracket = await testApp.http
        .put(`/api/v1/referrals/${referral.id}/fees/income-bracket`)
        .set(admin())
        .send({ bracket: 'Z' })
        .expect(422);
      expect(bracket.body.details.fields.bracket).toEqual(['bracket must be one of: A, B, C']);
      const empty = await testApp.http.put(`/api/v1/referrals/${referral.id}/fees/income-bracket`).set(admin()).send({}).expect(400);
      expect(empty.body.fields).toEqual({
        bracket: ["bracket must be the key of one of the policy's brackets", 'bracket is required (or incomeCents and period)'],
      });
      const noPeriod = await testApp.http
        .put(`/api/v1/referrals/${referral.id}/fees/income-bracket`)
        .set(admin())
        .send({ incomeCents: -1 })
        .expect(400);
      expect(noPeriod.body.fields).toEqual({
        incomeCents: ['incomeCents cannot be negative'],
        period: ['period must be one of: month, year'],
      });
      expect((await ledger(referral.id)).entries).toEqual([]);
      expect((await ledger(referral.id)).incomeBracketHistory).toEqual([]);
    });

    it('adjusts either way with a reason; waives an amount or the whole remaining balance; nothing to waive is a 422', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/adjustments`)
        .set(admin())
        .send({ amountCents: 1500, reason: 'Workbook' })
        .expect(201);
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/adjustments`)
        .set(admin())
        .send({ amountCents: -500, reason: 'Workbook discount' })
        .expect(201);
      expect((await ledger(referral.id)).balanceCents).toBe(10000);
      const part = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/waivers`)
        .set(admin())
        .send({ amountCents: 3000, reason: 'Hardship' })
        .expect(201);
      expect(part.body.amountCents).toBe(-3000);
      const rest = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/waivers`)
        .set(admin())
        .send({ amountCents: 999999, reason: 'Unable to pay (PC 1203.097(a)(5))' })
        .expect(201);
      expect(rest.body.amountCents).toBe(-7000);
      expect(await ledger(referral.id)).toMatchObject({ balanceCents: 0, settled: true, waivedCents: 10000 });
      const none = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/waivers`)
        .set(admin())
        .send({ reason: 'again' })
        .expect(422);
      expect(none.body.code).toBe('NOTHING_TO_WAIVE');
    });

    it('serves the receipt PDF of a payment of his, and 404 for another man’s payment or a charge', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      const other = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      const payment = (
        await testApp.http
          .post(`/api/v1/referrals/${referral.id}/fees/payments`)
          .set(admin())
          .send({ amountCents: 9000, method: 'card' })
          .expect(201)
      ).body;
      const pdf = await testApp.http
        .get(`/api/v1/referrals/${referral.id}/fees/payments/${payment.id}/receipt.pdf`)
        .set(admin())
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.headers['content-disposition']).toMatch(/receipt-R-\d{6}\.pdf/);
      await testApp.http.get(`/api/v1/referrals/${other.referral.id}/fees/payments/${payment.id}/receipt.pdf`).set(admin()).expect(404);
      const charge = (await ledger(referral.id)).entries[0];
      await testApp.http.get(`/api/v1/referrals/${referral.id}/fees/payments/${charge.id}/receipt.pdf`).set(admin()).expect(404);
      const [{ n }] = await testApp.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'fees.receipt' AND record_id = $1`,
        [payment.id],
      );
      expect(n).toBe(1);
    });
  });

  describe('who may', () => {
    it('lets his probation officer read the ledger and the receipt, not record; another officer gets 404; the court, facilitator, advocate and coordinator get 403', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      const payment = (
        await testApp.http
          .post(`/api/v1/referrals/${referral.id}/fees/payments`)
          .set(admin())
          .send({ amountCents: 100, method: 'cash' })
          .expect(201)
      ).body;
      const po = bearer(staff.tokens.probation_officer);
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}/fees`).set(po).expect(200)).body.balanceCents).toBe(8900);
      await testApp.http.get(`/api/v1/referrals/${referral.id}/fees/payments/${payment.id}/receipt.pdf`).set(po).expect(200);
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(po)
        .send({ amountCents: 100, method: 'cash' })
        .expect(403);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/fees/waivers`).set(po).send({ reason: 'x' }).expect(403);
      const stranger = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
      const strangerToken = bearer(await signIn(testApp, stranger.email));
      await testApp.http.get(`/api/v1/referrals/${referral.id}/fees`).set(strangerToken).expect(404);
      await testApp.http.get(`/api/v1/referrals/${referral.id}/fees/payments/${payment.id}/receipt.pdf`).set(strangerToken).expect(404);
      for (const role of [Role.CourtClerk, Role.Facilitator, Role.Advocate, Role.Coordinator]) {
        await testApp.http.get(`/api/v1/referrals/${referral.id}/fees`).set(bearer(staff.tokens[role])).expect(403);
      }
      await testApp.http.get(`/api/v1/referrals/00000000-0000-4000-8000-000000000000/fees`).set(admin()).expect(404);
    });
  });

  describe('completion reads the ledger', () => {
    it('refuses completion while a balance is owed, and the old checkbox says to record a payment; a payment lets him complete', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      for (const session of sessions.slice(0, 4)) await mark(session.id, enrollment.id, 'present');
      const refused = await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(422);
      expect(refused.body.details.reasons).toEqual(['program fees are not paid: $210.00 owed']);
      const checkbox = await testApp.http.post(`/api/v1/referrals/${referral.id}/fees`).set(admin()).send({ paid: true }).expect(409);
      expect(checkbox.body).toMatchObject({ code: 'FEES_FROM_LEDGER', details: { balanceCents: 21000 } });
      expect(checkbox.body.message).toMatch(/record a payment/);
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200)).body.feesPaid).toBe(false);
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(admin())
        .send({ amountCents: 21000, method: 'check' })
        .expect(201);
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200)).body.feesPaid).toBe(true);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/fees`).set(admin()).send({ paid: true }).expect(200);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(200);
    });

    it('lets a waiver of the balance stand for payment', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      for (const session of sessions.slice(0, 4)) await mark(session.id, enrollment.id, 'present');
      await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(422);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/fees/waivers`).set(admin()).send({ reason: 'Unable to pay' }).expect(201);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(200);
    });
  });

  describe('append-only at the database', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of ledger rows and of the bracket history', async () => {
      const { referral, sessions, enrollment } = await enrolled();
      await mark(sessions[0].id, enrollment.id, 'present');
      await testApp.http.put(`/api/v1/referrals/${referral.id}/fees/income-bracket`).set(admin()).send({ bracket: 'A' }).expect(200);
      await expect(
        testApp.dataSource.query(`UPDATE fee_entries SET amount_cents = 1 WHERE referral_id = $1`, [referral.id]),
      ).rejects.toThrow(/append-only/);
      await expect(testApp.dataSource.query(`DELETE FROM fee_entries WHERE referral_id = $1`, [referral.id])).rejects.toThrow(
        /append-only/,
      );
      await expect(testApp.dataSource.query(`TRUNCATE fee_entries`)).rejects.toThrow(/append-only/);
      await expect(
        testApp.dataSource.query(`UPDATE referral_income_brackets SET bracket = 'C' WHERE referral_id = $1`, [referral.id]),
      ).rejects.toThrow(/append-only/);
      await expect(testApp.dataSource.query(`DELETE FROM referral_income_brackets WHERE referral_id = $1`, [referral.id])).rejects.toThrow(
        /append-only/,
      );
      expect((await ledger(referral.id)).balanceCents).toBe(9000);
    });

    it('refuses a charge that is not positive or a payment without a receipt number (checks on the table)', async () => {
      const { referral } = await enrolled();
      await expect(
        testApp.dataSource.query(`INSERT INTO fee_entries (referral_id, kind, amount_cents) VALUES ($1, 'charge', -5)`, [referral.id]),
      ).rejects.toThrow(/fee_entries_amount_sign/);
      await expect(
        testApp.dataSource.query(`INSERT INTO fee_entries (referral_id, kind, amount_cents, method) VALUES ($1, 'payment', -5, 'cash')`, [
          referral.id,
        ]),
      ).rejects.toThrow(/fee_entries_payment_fields/);
    });
  });

  describe('the policy’s fee schedule', () => {
    it('refuses a bracket with both a fee and a percentage, and keeps the fees when a new version does not send them', async () => {
      const bad = await testApp.http
        .post('/api/v1/policies')
        .set(admin())
        .send(
          policyBody({
            feeBrackets: [{ key: 'A', label: 'a', period: 'month', upToIncomeCents: 1, sessionFeeCents: 1, percentOfSessionFee: 2 }],
          }),
        )
        .expect(422);
      expect(bad.body.details.fields).toEqual({ 'feeBrackets.0': ['give either sessionFeeCents or percentOfSessionFee, not both'] });
      const badTypes = await testApp.http
        .post('/api/v1/policies')
        .set(admin())
        .send(
          policyBody({
            sessionFeeCents: -1,
            feeBrackets: [{ key: 'A', label: 'a', period: 'week', upToIncomeCents: 1, sessionFeeCents: 1 }],
          }),
        )
        .expect(400);
      expect(badTypes.body.fields).toEqual({
        sessionFeeCents: ['sessionFeeCents must not be less than 0'],
        'feeBrackets.0.period': ['period must be one of: month, year'],
      });
      const { sessionFeeCents, intakeFeeCents, feeBrackets, ...rules } = policyBody({});
      const next = await testApp.http
        .put(`/api/v1/policies/${feePolicyId}`)
        .set(admin())
        .send({ ...rules, maxAbsences: 12 });
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({ sessionFeeCents: 4000, intakeFeeCents: 5000, version: 2 });
      expect(next.body.feeBrackets).toHaveLength(3);
    });
  });
});
