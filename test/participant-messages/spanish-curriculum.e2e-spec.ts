import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../src/common/dates';
import { ParticipantMessagesService } from '../../src/modules/participant-messages/participant-messages.service';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { bearer, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { pageSession } from '../security/security-fixtures';

/** "Today" is Wednesday 25 November 2026: a Thursday group meets tomorrow. */
const TOMORROW = addDays(TODAY, 1);
const MAIL_DIR = join(__dirname, '..', 'artifacts', 'mail');

/** A text mail as its reader sees it: headers as sent (encoded words decoded), the quoted-printable body as UTF-8. */
function readable(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  // Unfold, join adjacent encoded words (the space between them is not text), then decode them.
  const headers = raw
    .slice(0, split)
    .replace(/\r?\n\s+/g, ' ')
    .replace(/\?=\s+=\?UTF-8\?Q\?/gi, '')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, words: string) => qp(words.replace(/_/g, ' ')));
  const body = qp(raw.slice(split).replace(/=\r?\n/g, ''));
  return `${headers}\n${body}`.replace(/\r\n/g, '\n');
}
function qp(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const hex = text[index] === '=' ? /^[0-9A-F]{2}/i.exec(text.slice(index + 1, index + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      index += 2;
    } else bytes.push(...Buffer.from(text[index], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A Spanish group's curriculum units are said in Spanish — in the reminder to the man (from the
 * translations beside the messages, through i18next) and on the group's pages — while an English
 * group's stay as written.
 */
describe('a Spanish group’s curriculum in Spanish', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let spanishGroup: string;
  let englishGroup: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    spanishGroup = (
      await createGroup(testApp, staff, {
        name: 'Grupo del jueves',
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        weekday: 4,
        language: 'es',
      })
    ).id;
    englishGroup = (
      await createGroup(testApp, staff, {
        name: 'Thursday group',
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        weekday: 4,
      })
    ).id;
  });
  afterAll(() => testApp.close());

  const as = (role: Role) => bearer(staff.tokens[role]);
  const mailsTo = (address: string) => testApp.smtp.received.filter((mail) => mail.to.includes(address));

  async function man(groupId: string, language: string, email: string) {
    const referral = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName: language === 'es' ? 'Juan' : 'John',
      language,
      orderedOn: addDays(TODAY, -30),
    });
    await testApp.dataSource.query(`UPDATE participants p SET email = $2 FROM referrals r WHERE r.id = $1 AND p.id = r.participant_id`, [
      referral.id,
      email,
    ]);
    const sessions = await sessionsOf(testApp, staff, groupId, addDays(TODAY, -21), TODAY);
    await enroll(testApp, staff, referral.id, groupId, sessions[0].date);
  }

  it('the reminder for tomorrow’s Spanish group carries the unit’s Spanish theme and title', async () => {
    const [tomorrow] = (await sessionsOf(testApp, staff, spanishGroup, TOMORROW, TOMORROW)) as Array<{
      unit: { theme: string; title: string; position: number } | null;
    }>;
    expect(tomorrow.unit).not.toBeNull();
    // Independent of the code under test: the Spanish words read straight from the catalog file.
    const catalog = (await import('../../templates/messages/es.json')).curriculum as Record<string, string>;
    const theme = catalog[tomorrow.unit!.theme];
    const title = catalog[tomorrow.unit!.title];
    expect(theme && title).toBeTruthy();

    await man(spanishGroup, 'es', 'juan.reminder@participants.test');
    await man(englishGroup, 'en', 'john.reminder@participants.test');
    await testApp.app.get(ParticipantMessagesService).sendDue();
    await waitFor(
      () => mailsTo('juan.reminder@participants.test').length === 1 && mailsTo('john.reminder@participants.test').length === 1,
      { what: 'both reminders delivered' },
    );

    const spanish = readable(mailsTo('juan.reminder@participants.test')[0].raw);
    mkdirSync(MAIL_DIR, { recursive: true });
    writeFileSync(join(MAIL_DIR, 'spanish-reminder.txt'), spanish);
    expect(spanish).toContain(`Sesión de mañana: ${theme} — ${title}.`);
    expect(spanish).not.toContain(tomorrow.unit!.title);
    expect(spanish).toContain('Juan');

    const english = readable(mailsTo('john.reminder@participants.test')[0].raw);
    writeFileSync(join(MAIL_DIR, 'english-reminder.txt'), english);
    const [englishTomorrow] = (await sessionsOf(testApp, staff, englishGroup, TOMORROW, TOMORROW)) as Array<{
      unit: { theme: string; title: string };
    }>;
    expect(english).toContain(`Tomorrow's session: ${englishTomorrow.unit.theme} — ${englishTomorrow.unit.title}.`);
  });

  it('the Spanish group’s sessions say each unit in Spanish beside the words as written; an English group’s do not', async () => {
    const spanish = (
      await testApp.http
        .get(`/api/v1/groups/${spanishGroup}/sessions?from=${TODAY}&to=${addDays(TODAY, 60)}`)
        .set(as(Role.Admin))
        .expect(200)
    ).body.items as Array<{
      unit: { theme: string; title: string; inGroupLanguage?: { language: string; theme: string; title: string } } | null;
    }>;
    const catalog = (await import('../../templates/messages/es.json')).curriculum as Record<string, string>;
    const withUnits = spanish.filter((session) => session.unit);
    expect(withUnits.length).toBeGreaterThan(3);
    for (const { unit } of withUnits)
      expect(unit!.inGroupLanguage).toEqual({ language: 'es', theme: catalog[unit!.theme], title: catalog[unit!.title] });
    const english = (
      await testApp.http
        .get(`/api/v1/groups/${englishGroup}/sessions?from=${TODAY}&to=${addDays(TODAY, 60)}`)
        .set(as(Role.Admin))
        .expect(200)
    ).body.items as Array<{ unit: Record<string, unknown> | null }>;
    for (const { unit } of english.filter((session) => session.unit)) expect(unit).not.toHaveProperty('inGroupLanguage');
  });

  it('the facilitator’s roster of the Spanish group names the unit in Spanish', async () => {
    const [tomorrow] = (await sessionsOf(testApp, staff, spanishGroup, TOMORROW, TOMORROW)) as Array<{
      id: string;
      unit: { theme: string; title: string };
    }>;
    const catalog = (await import('../../templates/messages/es.json')).curriculum as Record<string, string>;
    const cookie = await pageSession(testApp, staff.users.facilitator.email);
    const roster = await testApp.http.get(`/sessions/${tomorrow.id}/roster`).set('Cookie', cookie).expect(200);
    const unescaped = roster.text.replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
    expect(unescaped).toContain(`${catalog[tomorrow.unit.theme]}: ${catalog[tomorrow.unit.title]}`);
    expect(unescaped).not.toContain(tomorrow.unit.title);
  });
});
