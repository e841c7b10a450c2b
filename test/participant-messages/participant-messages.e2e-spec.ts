import { addDays } from '../../src/common/dates';
import { ParticipantMessagesService } from '../../src/modules/participant-messages/participant-messages.service';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { bearer, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** "Today" is Wednesday 25 November 2026: a Thursday group meets tomorrow. */
const TOMORROW = addDays(TODAY, 1);

describe('messages to the man: reminders, no-group notices and letters after a missed session', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let groupId: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    groupId = (
      await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id], weekday: 4 })
    ).id;
  });
  afterAll(() => testApp.close());

  const as = (role: Role) => bearer(staff.tokens[role]);
  const service = () => testApp.app.get(ParticipantMessagesService);
  const mailsTo = (address: string) => testApp.smtp.received.filter((mail) => mail.to.includes(address));
  const body = (raw: string) =>
    Buffer.from(
      raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex) => `%${hex}`),
      'latin1',
    ).toString();
  const decoded = (raw: string) => decodeURIComponent(body(raw).replace(/%(?![0-9A-F]{2})/g, '%25'));

  let counter = 0;
  async function man(options: { language?: string; email?: string | null } = {}) {
    counter += 1;
    const referral = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName: `Luis${counter}`,
      orderedOn: addDays(TODAY, -30),
    });
    const email = options.email === undefined ? `man${counter}.${Date.now()}@participants.test` : options.email;
    await testApp.dataSource.query(
      `UPDATE participants p SET email = $2, language = $3 FROM referrals r WHERE r.id = $1 AND p.id = r.participant_id`,
      [referral.id, email, options.language ?? 'en'],
    );
    const sessions = await sessionsOf(testApp, staff, groupId, addDays(TODAY, -21), TODAY);
    const { enrollment } = await enroll(testApp, staff, referral.id, groupId, sessions[0].date);
    return { referral, email: email ?? '', enrollmentId: enrollment.id, sessions };
  }

  it('the morning before his group each man gets a reminder in his own language, once however often it runs', async () => {
    const english = await man();
    const spanish = await man({ language: 'es' });
    const first = await service().sendDue();
    expect(first.session_reminder).toBeGreaterThanOrEqual(2);
    expect((await service().sendDue()).session_reminder).toBe(0);
    await waitFor(() => mailsTo(english.email).length === 1 && mailsTo(spanish.email).length === 1, { what: 'both reminders delivered' });
    const inEnglish = decoded(mailsTo(english.email)[0].raw);
    expect(inEnglish).toContain('Subject: Group tomorrow: Thursday, November 26, 6:30 PM');
    expect(inEnglish).toContain('your group meets tomorrow, Thursday, November 26, at 6:30 PM, at Room 2.');
    expect(inEnglish).toContain("Tomorrow's session:");
    const inSpanish = decoded(mailsTo(spanish.email)[0].raw);
    expect(inSpanish).toContain('su grupo se reúne mañana, jueves, 26 de noviembre');
    expect(inSpanish).toContain('Sesión de mañana:');
    expect(inSpanish).not.toContain('Tomorrow');
    const listed = await testApp.http.get(`/api/v1/referrals/${spanish.referral.id}/participant-messages`).set(as(Role.Admin)).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ kind: 'session_reminder', sessionDate: TOMORROW, language: 'es' })]);
    await waitFor(
      async () =>
        (await testApp.http.get(`/api/v1/referrals/${spanish.referral.id}/participant-messages`).set(as(Role.Admin))).body.items[0]
          .status === 'sent',
      { what: 'shown as sent' },
    );
  });

  it('nothing goes to a man who opted out, to one with no address, or to one whose protected party asked for no contact', async () => {
    const optedOut = await man();
    await testApp.http
      .put(`/api/v1/referrals/${optedOut.referral.id}/participant-messages/preference`)
      .set(as(Role.Facilitator))
      .send({ optOut: true })
      .expect(403);
    const bad = await testApp.http
      .put(`/api/v1/referrals/${optedOut.referral.id}/participant-messages/preference`)
      .set(as(Role.Admin))
      .send({ optOut: 'yes' })
      .expect(400);
    expect(bad.body.fields.optOut).toEqual(['optOut must be true or false']);
    await testApp.http
      .put(`/api/v1/referrals/${optedOut.referral.id}/participant-messages/preference`)
      .set(as(Role.Admin))
      .send({ optOut: true })
      .expect(200);
    await man({ email: null });
    const shielded = await man();
    await testApp.http
      .post(`/api/v1/referrals/${shielded.referral.id}/protected-parties`)
      .set(as(Role.Advocate))
      .send({
        name: 'Ana R',
        relationship: 'former partner',
        preferredChannel: 'phone',
        notificationWish: 'declined',
        noProgramContact: true,
      })
      .expect(201);
    const reachable = await man();
    const written = await service().sendDue();
    expect(written.session_reminder).toBe(1);
    await waitFor(() => mailsTo(reachable.email).length === 1, { what: 'the reachable man reminded' });
    expect(mailsTo(optedOut.email)).toHaveLength(0);
    expect(mailsTo(shielded.email)).toHaveLength(0);
    const audit = await testApp.dataSource.query(`SELECT action FROM audit_entries WHERE record_id = $1 AND action LIKE 'participant.%'`, [
      optedOut.referral.id,
    ]);
    expect(audit).toEqual([{ action: 'participant.messages_opt_out' }]);
  });

  it('a group cancelled at short notice tells each man at once, with the reason and the next group; the morning run adds nothing', async () => {
    await man();
    await man({ language: 'es' });
    const sessions = await sessionsOf(testApp, staff, groupId, TOMORROW, TOMORROW);
    const men = await testApp.dataSource.query<Array<{ email: string; language: string }>>(
      `SELECT p.email, p.language FROM enrollments e JOIN referrals r ON r.id = e.referral_id JOIN participants p ON p.id = r.participant_id
        WHERE e.group_id = $1 AND p.email IS NOT NULL AND NOT p.messages_opt_out
          AND NOT EXISTS (SELECT 1 FROM protected_parties pp WHERE pp.referral_id = r.id AND pp.no_program_contact)`,
      [groupId],
    );
    const noGroup = (language: string) =>
      language === 'es' ? 'No hay grupo el jueves, 26 de noviembre' : 'No group on Thursday, November 26';
    await testApp.http
      .post(`/api/v1/sessions/${sessions[0].id}/cancel`)
      .set(as(Role.Facilitator))
      .send({ reason: 'the facilitator is ill' })
      .expect(200);
    await waitFor(() => men.every((m) => mailsTo(m.email).some((mail) => decoded(mail.raw).includes(noGroup(m.language)))), {
      what: 'every man told',
    });
    const english = men.find((m) => m.language === 'en')!;
    const told = decoded(mailsTo(english.email).find((mail) => decoded(mail.raw).includes('No group'))!.raw);
    expect(told).toContain('There is no group on Thursday, November 26: the facilitator is ill.');
    expect(told).toContain('Your next group is Thursday, December 3 at 6:30 PM.');
    expect((await service().sendDue()).session_cancelled).toBe(0);
  });

  it('after an unexcused absence he gets a letter saying where he stands against his limit and what happens past it', async () => {
    const absent = await man();
    const past = absent.sessions.filter((session) => session.date < TODAY);
    const held = past[past.length - 1];
    await testApp.http
      .put(`/api/v1/sessions/${held.id}/attendance`)
      .set(as(Role.Admin))
      .send({ marks: [{ enrollmentId: absent.enrollmentId, status: 'absent_unexcused' }] })
      .expect(200);
    const written = await service().sendDue();
    expect(written.missed_session).toBeGreaterThanOrEqual(1);
    await waitFor(() => mailsTo(absent.email).some((mail) => decoded(mail.raw).includes('You missed group')), { what: 'the letter' });
    const letter = decoded(mailsTo(absent.email).find((mail) => decoded(mail.raw).includes('You missed group'))!.raw);
    const [{ limit }] = await testApp.dataSource.query(`SELECT max_unexcused_absences AS limit FROM policies WHERE id = $1`, [
      reference.duluthPolicy.id,
    ]);
    expect(letter).toContain(`You now have 1 unexcused absence. The program allows ${limit}.`);
    expect(letter).toContain('If you miss more without an excuse, your probation officer and the court will be told');
    expect(letter).not.toMatch(/partner|victim|Ana R/i);
  });
});
