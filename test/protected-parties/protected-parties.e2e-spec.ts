import { FieldCipher } from '../../src/config/field-cipher';
import { rotateFieldKeys } from '../../src/database/field-key-rotation';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, startProgramApp } from '../helpers/domain';
import { createDatabaseFromTemplate, dropDatabase } from '../helpers/test-database';
import { bearer, signIn, Staff } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import Redis from 'ioredis';
import { QueueName } from '../../src/modules/queues/queue-names';
import { TEST_REDIS_URL } from '../helpers/test-database';
import type { Reference } from '../helpers/domain';

/** Everything under a queue prefix in Redis, as one text, to prove what is not there. */
async function redisText(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'list') parts.push((await redis.lrange(key, 0, -1)).join(' '));
      else if (type === 'zset') parts.push((await redis.zrange(key, 0, -1)).join(' '));
      else if (type === 'set') parts.push((await redis.smembers(key)).join(' '));
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

const NON_ADVOCATES = [Role.Facilitator, Role.ProbationOfficer, Role.CourtClerk] as const;

function party(marker: string, overrides: Record<string, unknown> = {}) {
  return {
    name: `Jane ${marker}`,
    relationship: 'former partner',
    phone: '+1 218 555 0100',
    email: `jane.${marker.toLowerCase()}@safe.example.org`,
    address: `PO Box ${marker}, Duluth MN`,
    safetyNotes: `Call only after 6pm ${marker}`,
    preferredChannel: 'email',
    notificationWish: 'wants',
    ...overrides,
  };
}

describe('protected parties (victim/partner data)', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let groupId: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    groupId = (
      await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id], weekday: 1 })
    ).id;
  });
  afterAll(() => testApp.close());

  const as = (role: Role) => bearer(staff.tokens[role]);
  const newReferral = () => createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
  const addParty = async (referralId: string, body: Record<string, unknown>, role = Role.Advocate) =>
    testApp.http.post(`/api/v1/referrals/${referralId}/protected-parties`).set(as(role)).send(body);

  it('an advocate enters and reads her details; at rest they are sealed, and the audit names fields, never values', async () => {
    const referral = await newReferral();
    const marker = `CANARY${Date.now()}`;
    const created = await addParty(referral.id, party(marker));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      referralId: referral.id,
      name: `Jane ${marker}`,
      safetyNotes: `Call only after 6pm ${marker}`,
      notificationWish: 'wants',
    });

    const listed = await testApp.http.get(`/api/v1/referrals/${referral.id}/protected-parties`).set(as(Role.Advocate)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, email: `jane.${marker.toLowerCase()}@safe.example.org` })]);

    const [row] = await testApp.dataSource.query(
      `SELECT encode(wrapped_key, 'escape') || encode(ciphertext, 'escape') AS stored, to_jsonb(p)::text AS whole FROM protected_parties p WHERE id = $1`,
      [created.body.id],
    );
    expect(row.stored.toLowerCase()).not.toContain(marker.toLowerCase());
    expect(row.whole.toLowerCase()).not.toContain(marker.toLowerCase());
    const audit = await testApp.dataSource.query(`SELECT action, details::text AS details FROM audit_entries WHERE record_id IN ($1, $2)`, [
      created.body.id,
      referral.id,
    ]);
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(['protected_party.create', 'protected_party.read']),
    );
    for (const entry of audit) expect(entry.details.toLowerCase()).not.toContain(marker.toLowerCase());
    const create = audit.find((entry: { action: string }) => entry.action === 'protected_party.create');
    expect(JSON.parse(create.details).fields).toEqual(expect.arrayContaining(['name', 'email', 'safetyNotes', 'notificationWish']));
  });

  it('refuses facilitators, probation and the court (403), and answers 404 for a referral that does not exist', async () => {
    const referral = await newReferral();
    const created = await addParty(referral.id, party('X1'));
    for (const role of NON_ADVOCATES) {
      await testApp.http.get(`/api/v1/referrals/${referral.id}/protected-parties`).set(as(role)).expect(403);
      await addParty(referral.id, party('X2'), role).then((response) => expect(response.status).toBe(403));
      await testApp.http.patch(`/api/v1/protected-parties/${created.body.id}`).set(as(role)).send({ name: 'x' }).expect(403);
      await testApp.http.get('/api/v1/victim-notifications').set(as(role)).expect(403);
    }
    await testApp.http.get(`/api/v1/referrals/6f1c1c36-0000-4000-8000-000000000000/protected-parties`).set(as(Role.Advocate)).expect(404);
    await testApp.http
      .patch(`/api/v1/protected-parties/6f1c1c36-0000-4000-8000-000000000000`)
      .set(as(Role.Advocate))
      .send({ name: 'x' })
      .expect(404);
  });

  it('an admin may enter her details but not read them back unless the policy allows it', async () => {
    const referral = await newReferral();
    const entered = await addParty(referral.id, party('ADM1'), Role.Admin);
    expect(entered.status).toBe(201);
    expect(entered.body).toEqual({ id: expect.any(String), referralId: referral.id, createdAt: expect.any(String), detailsVisible: false });
    await testApp.http.get(`/api/v1/referrals/${referral.id}/protected-parties`).set(as(Role.Admin)).expect(404);
    await testApp.http
      .patch(`/api/v1/protected-parties/${entered.body.id}`)
      .set(as(Role.Admin))
      .send({ phone: '218 555 0199' })
      .expect(404);

    const { body: open } = await testApp.http
      .post('/api/v1/policies')
      .set(as(Role.Admin))
      .send({ ...policyFields(reference), name: `Admin-readable ${Date.now()}`, protectedPartyAdminAccess: true })
      .expect(201);
    const readable = await createReferral(testApp, staff, { policyId: open.id });
    const enteredThere = await addParty(readable.id, party('ADM2'), Role.Admin);
    expect(enteredThere.body.name).toBe('Jane ADM2');
    await testApp.http.get(`/api/v1/referrals/${readable.id}/protected-parties`).set(as(Role.Admin)).expect(200);
  });

  it('validates each field with a field-level message and writes nothing on bad input', async () => {
    const referral = await newReferral();
    const bad = await addParty(referral.id, party('V1', { email: 'not-an-address', preferredChannel: 'pigeon', role: 'admin' }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/email must be an e-mail address/);
    expect(JSON.stringify(bad.body)).toMatch(/preferredChannel must be one of/);
    expect(JSON.stringify(bad.body)).toMatch(/role/);
    const [{ n }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM protected_parties WHERE referral_id = $1`, [
      referral.id,
    ]);
    expect(n).toBe(0);
  });

  it('a change re-seals the record and audits which fields changed', async () => {
    const referral = await newReferral();
    const created = await addParty(referral.id, party('U1'));
    const before = await testApp.dataSource.query(`SELECT ciphertext FROM protected_parties WHERE id = $1`, [created.body.id]);
    const updated = await testApp.http
      .patch(`/api/v1/protected-parties/${created.body.id}`)
      .set(as(Role.Advocate))
      .send({ phone: '218 555 0142', notificationWish: 'declined' })
      .expect(200);
    expect(updated.body).toMatchObject({ phone: '218 555 0142', notificationWish: 'declined', name: 'Jane U1' });
    const after = await testApp.dataSource.query(`SELECT ciphertext FROM protected_parties WHERE id = $1`, [created.body.id]);
    expect(Buffer.compare(before[0].ciphertext, after[0].ciphertext)).not.toBe(0);
    const [entry] = await testApp.dataSource.query(
      `SELECT details FROM audit_entries WHERE action = 'protected_party.update' AND record_id = $1`,
      [created.body.id],
    );
    expect(entry.details).toEqual({ fields: ['phone', 'notificationWish'] });
  });

  it('a change may clear an optional field with null, never a required one', async () => {
    const referral = await newReferral();
    const created = await addParty(referral.id, party('Z1'));
    const refused = await testApp.http
      .patch(`/api/v1/protected-parties/${created.body.id}`)
      .set(as(Role.Advocate))
      .send({ name: null, preferredChannel: null })
      .expect(400);
    expect(JSON.stringify(refused.body)).toMatch(/name must be 1 to 200 characters/);
    expect(JSON.stringify(refused.body)).toMatch(/preferredChannel must be one of/);
    const cleared = await testApp.http
      .patch(`/api/v1/protected-parties/${created.body.id}`)
      .set(as(Role.Advocate))
      .send({ email: null, safetyNotes: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ name: 'Jane Z1', email: null, safetyNotes: null, phone: '+1 218 555 0100' });
  });

  it('a blob copied onto another record does not open (the data is bound to its row)', async () => {
    const first = await newReferral();
    const second = await newReferral();
    const a = await addParty(first.id, party('B1'));
    const b = await addParty(second.id, party('B2'));
    await testApp.dataSource.query(
      `UPDATE protected_parties t SET wrapped_key = s.wrapped_key, ciphertext = s.ciphertext, key_id = s.key_id FROM protected_parties s WHERE s.id = $1 AND t.id = $2`,
      [a.body.id, b.body.id],
    );
    const response = await testApp.http.get(`/api/v1/referrals/${second.id}/protected-parties`).set(as(Role.Advocate));
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(response.body)).not.toContain('B1');
  });

  describe('victim notification', () => {
    async function terminated(body: Record<string, unknown>[]) {
      const referral = await newReferral();
      const parties = [];
      for (const item of body) parties.push((await addParty(referral.id, item)).body);
      await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(as(Role.Admin))
        .send({ reason: 'Threatened a group member' })
        .expect(200);
      const { body: list } = await testApp.http
        .get(`/api/v1/victim-notifications?referralId=${referral.id}`)
        .set(as(Role.Advocate))
        .expect(200);
      return { referral, parties, notifications: list.items as Array<Record<string, unknown>> };
    }

    it('termination under an unless-declined policy raises one pending notification per party who did not decline, for advocates only', async () => {
      const { parties, notifications } = await terminated([
        party('N1'),
        party('N2', { notificationWish: 'declined' }),
        party('N3', { notificationWish: 'not_asked' }),
      ]);
      expect(notifications.map((item) => item.protectedPartyId).sort()).toEqual([parties[0].id, parties[2].id].sort());
      expect(notifications[0]).toMatchObject({ event: 'terminated', status: 'pending' });
      await testApp.http.get('/api/v1/victim-notifications').set(as(Role.Admin)).expect(403);
      expect(testApp.smtp.received.filter((mail) => mail.to.some((to) => to.includes('safe.example.org')))).toHaveLength(0);
    });

    const notification = async (id: string) => {
      const [{ referral_id: referralId }] = await testApp.dataSource.query(`SELECT referral_id FROM victim_notifications WHERE id = $1`, [
        id,
      ]);
      const { body } = await testApp.http
        .get(`/api/v1/victim-notifications?referralId=${referralId}&open=false`)
        .set(as(Role.Advocate))
        .expect(200);
      return body.items.find((item: { id: string }) => item.id === id);
    };
    const settled = (id: string, status: string) =>
      waitFor(
        async () => {
          const body = await notification(id);
          return body.status === status && body;
        },
        { what: `victim notification ${status}` },
      );

    it('the advocate sends the e-mail once, through the outbox: a second click is refused, the page says on its way, then sent', async () => {
      const { notifications } = await terminated([party('S1')]);
      const id = notifications[0].id as string;
      const before = testApp.smtp.received.length;
      const [first, second] = await Promise.all([
        testApp.http
          .post(`/api/v1/victim-notifications/${id}/send`)
          .set(as(Role.Advocate))
          .send({ message: 'I will call you on Thursday.' }),
        // The same double click: whichever request wins, her e-mail carries the advocate's words.
        testApp.http
          .post(`/api/v1/victim-notifications/${id}/send`)
          .set(as(Role.Advocate))
          .send({ message: 'I will call you on Thursday.' }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const ok = first.status === 200 ? first : second;
      // The request only approves it; the send job delivers it.
      expect(ok.body).toMatchObject({ status: 'sending', delivery: 'on_its_way', channel: 'email', attempts: 1 });
      expect(await settled(id, 'sent')).toMatchObject({ delivery: null, lastError: null });
      const [mail] = await testApp.dataSource.query(
        `SELECT id, status, key_id, ciphertext FROM outgoing_mails WHERE kind = 'victim_notification' AND ref_id = $1`,
        [id],
      );
      expect(mail).toMatchObject({ status: 'sent', key_id: null, ciphertext: null });
      const mails = testApp.smtp.received
        .slice(before)
        .filter((received) => received.messageId === `<mail-${mail.id}@${testApp.config.mailDomain}>`);
      expect(mails).toHaveLength(1);
      expect(mails[0].to).toEqual(['jane.s1@safe.example.org']);
      const text = mails[0].raw.replace(/=\r?\n/g, '');
      expect(text).toContain('was terminated from the court-ordered program');
      expect(text).toContain('I will call you on Thursday.');
      expect(text).toContain(staff.users.advocate.email);
      await testApp.http.post(`/api/v1/victim-notifications/${id}/send`).set(as(Role.Advocate)).send({}).expect(409);
      const actions = await testApp.dataSource.query(`SELECT action, actor_user_id FROM audit_entries WHERE record_id = $1 ORDER BY id`, [
        id,
      ]);
      expect(actions.map((entry: { action: string }) => entry.action)).toEqual([
        'victim_notification.raised',
        'victim_notification.approved',
        'victim_notification.sent',
      ]);
      expect(actions[1].actor_user_id).toBe(staff.users.advocate.id);
      // Her address and words were never in Redis: the job held the mail's id only.
      expect(await redisText(testApp.config.queuePrefix)).not.toContain('jane.s1');
      expect(testApp.logs.join('')).not.toContain('jane.s1@');
    });

    it('a mail server that refuses for now is tried again by the outbox, and the page says on its way meanwhile', async () => {
      const { notifications } = await terminated([party('T1')]);
      const id = notifications[0].id as string;
      let refusals = 0;
      testApp.smtp.answer = (mail) =>
        mail.to.includes('jane.t1@safe.example.org') && refusals++ < 2
          ? { code: 451, message: 'Try again later jane.t1@safe.example.org' }
          : null;
      try {
        await testApp.http.post(`/api/v1/victim-notifications/${id}/send`).set(as(Role.Advocate)).send({}).expect(200);
        const sent = await settled(id, 'sent');
        expect(sent).toMatchObject({ attempts: 1, lastError: null });
      } finally {
        testApp.smtp.answer = () => null;
      }
      const [mail] = await testApp.dataSource.query(`SELECT attempts, status FROM outgoing_mails WHERE ref_id = $1`, [id]);
      expect(mail).toEqual({ attempts: 3, status: 'sent' });
      expect(testApp.smtp.received.filter((received) => received.to.includes('jane.t1@safe.example.org'))).toHaveLength(1);
    });

    it('a refused e-mail is marked failed without her address in the error, and can be closed by a recorded phone call whose note is sealed', async () => {
      const { notifications } = await terminated([party('F1')]);
      const id = notifications[0].id as string;
      testApp.smtp.answer = (mail) =>
        mail.to.includes('jane.f1@safe.example.org') ? { code: 550, message: 'Mailbox unknown jane.f1@safe.example.org' } : null;
      try {
        await testApp.http.post(`/api/v1/victim-notifications/${id}/send`).set(as(Role.Advocate)).send({}).expect(200);
        const failed = await settled(id, 'failed');
        expect(failed.lastError).toContain('550');
        expect(failed.lastError).not.toContain('jane.f1@');
      } finally {
        testApp.smtp.answer = () => null;
      }
      const recorded = await testApp.http
        .post(`/api/v1/victim-notifications/${id}/record`)
        .set(as(Role.Advocate))
        .send({ channel: 'phone', note: 'Reached her at her sister’s NOTEF1' })
        .expect(200);
      expect(recorded.body).toMatchObject({ status: 'recorded', channel: 'phone', note: 'Reached her at her sister’s NOTEF1' });
      const [row] = await testApp.dataSource.query(`SELECT to_jsonb(v)::text AS whole FROM victim_notifications v WHERE id = $1`, [id]);
      expect(row.whole).not.toContain('NOTEF1');
      const [mail] = await testApp.dataSource.query(`SELECT to_jsonb(m)::text AS whole FROM outgoing_mails m WHERE ref_id = $1`, [id]);
      expect(mail.whole).not.toContain('jane.f1');
      expect(testApp.logs.join('')).not.toContain('jane.f1@');
      await testApp.http.post(`/api/v1/victim-notifications/${id}/skip`).set(as(Role.Advocate)).send({ note: 'late' }).expect(409);
    });

    it('a refused e-mail may be approved three times, then the advocate is told to reach her another way (429)', async () => {
      const { notifications } = await terminated([party('L1')]);
      const id = notifications[0].id as string;
      testApp.smtp.answer = (mail) => (mail.to.includes('jane.l1@safe.example.org') ? { code: 550, message: 'No such user' } : null);
      try {
        for (let attempt = 1; attempt <= 3; attempt++) {
          await testApp.http.post(`/api/v1/victim-notifications/${id}/send`).set(as(Role.Advocate)).send({}).expect(200);
          expect(await settled(id, 'failed')).toMatchObject({ attempts: attempt });
        }
        const refused = await testApp.http.post(`/api/v1/victim-notifications/${id}/send`).set(as(Role.Advocate)).send({}).expect(429);
        expect(refused.body.code).toBe('SEND_LIMIT_REACHED');
      } finally {
        testApp.smtp.answer = () => null;
      }
      const [row] = await testApp.dataSource.query(`SELECT attempts, status FROM victim_notifications WHERE id = $1`, [id]);
      expect(row).toEqual({ attempts: 3, status: 'failed' });
      await testApp.http
        .post(`/api/v1/victim-notifications/${id}/record`)
        .set(as(Role.Advocate))
        .send({ channel: 'phone', note: 'Called her' })
        .expect(200);
    });

    it('an e-mail approved while the queue is away is still sent once, by the relay; one recorded another way before it goes is not sent', async () => {
      const { notifications } = await terminated([party('Q1'), party('Q2')]);
      const idOf = (name: string) => notifications.find((item) => item.protectedPartyName === name)!.id as string;
      const [first, second] = [idOf('Jane Q1'), idOf('Jane Q2')];
      const queue = testApp.app.get<Queue>(getQueueToken(QueueName.Notices));
      await queue.pause(false);
      try {
        await testApp.http.post(`/api/v1/victim-notifications/${first}/send`).set(as(Role.Advocate)).send({}).expect(200);
        await testApp.http.post(`/api/v1/victim-notifications/${second}/send`).set(as(Role.Advocate)).send({}).expect(200);
        const recorded = await testApp.http
          .post(`/api/v1/victim-notifications/${second}/record`)
          .set(as(Role.Advocate))
          .send({ channel: 'phone', note: 'She called first' })
          .expect(200);
        expect(recorded.body).toMatchObject({ status: 'recorded', delivery: null });
      } finally {
        await queue.resume(false);
      }
      await settled(first, 'sent');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(testApp.smtp.received.filter((mail) => mail.to.includes('jane.q1@safe.example.org'))).toHaveLength(1);
      expect(testApp.smtp.received.filter((mail) => mail.to.includes('jane.q2@safe.example.org'))).toHaveLength(0);
      const [withdrawn] = await testApp.dataSource.query(`SELECT status, ciphertext FROM outgoing_mails WHERE ref_id = $1`, [second]);
      expect(withdrawn).toEqual({ status: 'dead', ciphertext: null });
    });

    it('an e-mail needs an address: without one the advocate is told to record another channel', async () => {
      const { notifications } = await terminated([party('E1', { email: undefined, preferredChannel: 'phone' })]);
      const response = await testApp.http
        .post(`/api/v1/victim-notifications/${String(notifications[0].id)}/send`)
        .set(as(Role.Advocate))
        .send({})
        .expect(422);
      expect(response.body.code).toBe('NO_EMAIL_ADDRESS');
      expect(
        (await testApp.http.get(`/api/v1/victim-notifications?referralId=${String(notifications[0].referralId)}`).set(as(Role.Advocate)))
          .body.items[0].status,
      ).toBe('pending');
    });

    it('a policy that covers enrollment raises one when he enrolls (Florida 65H-2.016); a bad event list is refused by field', async () => {
      const refused = await testApp.http
        .post('/api/v1/policies')
        .set(as(Role.Admin))
        .send({
          ...policyFields(reference),
          name: `Bad events ${Date.now()}`,
          victimNotification: 'unless_declined',
          victimNotificationEvents: ['enrolled', 'married'],
        })
        .expect(400);
      expect(refused.body.fields.victimNotificationEvents).toEqual([
        'victimNotificationEvents may hold only: enrolled, completed, terminated',
      ]);
      const policy = await testApp.http
        .post('/api/v1/policies')
        .set(as(Role.Admin))
        .send({
          ...policyFields(reference),
          name: `Enrollment told ${Date.now()}`,
          victimNotification: 'unless_declined',
          victimNotificationEvents: ['enrolled', 'completed', 'terminated'],
        })
        .expect(201);
      const referral = await createReferral(testApp, staff, { policyId: policy.body.id });
      await addParty(referral.id, party('EN1'));
      await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
      const { body } = await testApp.http.get(`/api/v1/victim-notifications?referralId=${referral.id}`).set(as(Role.Advocate)).expect(200);
      expect(body.items).toEqual([expect.objectContaining({ event: 'enrolled', status: 'pending', askFirst: false })]);
      // The default policies leave enrollment out, as before.
      const plain = await newReferral();
      await addParty(plain.id, party('EN2'));
      await enroll(testApp, staff, plain.id, groupId, '2026-11-30');
      expect((await testApp.http.get(`/api/v1/victim-notifications?referralId=${plain.id}`).set(as(Role.Advocate))).body.items).toEqual([]);
    });

    it('at a termination under an on-request policy, a party never asked becomes an "ask her first" task; one who declined does not', async () => {
      const policy = await testApp.http
        .post('/api/v1/policies')
        .set(as(Role.Admin))
        .send({ ...policyFields(reference), name: `On request ${Date.now()}`, victimNotification: 'on_request' })
        .expect(201);
      const { parties, notifications } = await (async () => {
        const referral = await createReferral(testApp, staff, { policyId: policy.body.id });
        const made = [
          (await addParty(referral.id, party('AF1', { notificationWish: 'not_asked' }))).body,
          (await addParty(referral.id, party('AF2', { notificationWish: 'declined' }))).body,
        ];
        await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
        await testApp.http
          .post(`/api/v1/referrals/${referral.id}/terminate`)
          .set(as(Role.Admin))
          .send({ reason: 'Threatened a group member' })
          .expect(200);
        const { body: list } = await testApp.http
          .get(`/api/v1/victim-notifications?referralId=${referral.id}`)
          .set(as(Role.Advocate))
          .expect(200);
        return { parties: made, notifications: list.items as Array<Record<string, unknown>> };
      })();
      expect(notifications).toEqual([expect.objectContaining({ protectedPartyId: parties[0].id, event: 'terminated', askFirst: true })]);
    });

    it('a policy without victim notification raises none', async () => {
      const referral = await createReferral(testApp, staff, { policyId: reference.caPolicy.id });
      await addParty(referral.id, party('C1'));
      await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(as(Role.Admin))
        .send({ reason: 'Did not enroll' })
        .expect(200);
      const { body } = await testApp.http.get(`/api/v1/victim-notifications?referralId=${referral.id}`).set(as(Role.Advocate)).expect(200);
      expect(body.items).toHaveLength(0);
    });
  });

  it('the advocate finds any case by number through a POST, and sees his standing but nothing of the program record', async () => {
    const referral = await newReferral();
    const found = await testApp.http
      .post('/api/v1/advocate/referrals/lookup')
      .set(as(Role.Advocate))
      .send({ caseNumber: referral.caseNumber.toLowerCase() })
      .expect(200);
    expect(found.body.items).toEqual([
      expect.objectContaining({ id: referral.id, caseNumber: referral.caseNumber, status: 'referred', protectedParties: 0 }),
    ]);
    expect(Object.keys(found.body.items[0]).sort()).toEqual([
      'caseNumber',
      'completeBy',
      'id',
      'participantName',
      'pendingNotifications',
      'protectedParties',
      'status',
      'statusChangedAt',
    ]);
    await testApp.http
      .post('/api/v1/advocate/referrals/lookup')
      .set(as(Role.ProbationOfficer))
      .send({ caseNumber: referral.caseNumber })
      .expect(403);
  });
});

describe('field-key rotation', () => {
  const keyA = Buffer.alloc(32, 1).toString('base64');
  const keyB = Buffer.alloc(32, 2).toString('base64');

  it('records sealed under the old key stay readable during rotation, and after it the old key can go', async () => {
    const databaseName = await createDatabaseFromTemplate();
    try {
      await rotate(databaseName);
    } finally {
      await dropDatabase(databaseName);
    }
  });

  async function rotate(databaseName: string): Promise<void> {
    const first = await startProgramApp({ databaseName, env: { FIELD_ENCRYPTION_KEY: keyA } });
    const referral = await createReferral(first.testApp, first.staff, { policyId: first.reference.duluthPolicy.id });
    const created = await first.testApp.http
      .post(`/api/v1/referrals/${referral.id}/protected-parties`)
      .set(bearer(first.staff.tokens.advocate))
      .send(party('R1'))
      .expect(201);
    const advocateEmail = first.staff.users.advocate.email;
    await first.testApp.close();

    const read = async (app: TestApp) =>
      app.http.get(`/api/v1/referrals/${referral.id}/protected-parties`).set(bearer(await signIn(app, advocateEmail)));

    const withoutOld = await startTestApp({ databaseName, env: { FIELD_ENCRYPTION_KEY: keyB } });
    try {
      const refused = await read(withoutOld);
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('FIELD_KEY_UNAVAILABLE');
    } finally {
      await withoutOld.close();
    }

    const during = await startTestApp({ databaseName, env: { FIELD_ENCRYPTION_KEY: keyB, FIELD_ENCRYPTION_PREVIOUS_KEYS: keyA } });
    try {
      expect((await read(during)).body[0].name).toBe('Jane R1');
      const result = await rotateFieldKeys(during.dataSource, during.app.get(FieldCipher));
      expect(result.rewrapped).toBeGreaterThanOrEqual(1);
      expect((await rotateFieldKeys(during.dataSource, during.app.get(FieldCipher))).rewrapped).toBe(0);
    } finally {
      await during.close();
    }

    const after = await startTestApp({ databaseName, env: { FIELD_ENCRYPTION_KEY: keyB } });
    try {
      const response = await read(after);
      expect(response.status).toBe(200);
      expect(response.body[0]).toMatchObject({ id: created.body.id, name: 'Jane R1' });
    } finally {
      await after.close();
    }
  }
});

function policyFields(reference: Reference) {
  const policy = reference.duluthPolicy;
  return {
    requiredSessions: policy.requiredSessions,
    sessionMinutes: policy.sessionMinutes,
    enrollWithinDays: policy.enrollWithinDays,
    completeWithinMonths: policy.completeWithinMonths,
    maxAbsences: policy.maxAbsences,
    maxUnexcusedAbsences: policy.maxUnexcusedAbsences,
    maxConsecutiveAbsences: policy.maxConsecutiveAbsences,
    noAttendanceDays: policy.noAttendanceDays,
    progressReportEveryDays: policy.progressReportEveryDays,
    violationReportBusinessDays: policy.violationReportBusinessDays,
    feesRequired: policy.feesRequired,
  };
}
