import { participantMessage, MessageFacts, spokenDate } from './participant-message-content';

const base: MessageFacts = {
  kind: 'session_reminder',
  language: 'en',
  timeZone: 'America/Chicago',
  programName: 'Duluth Men’s Program',
  firstName: 'James',
  sessionDate: '2026-11-26',
  sessionTime: '18:30',
  place: 'Room 3, 202 W 2nd St',
  unit: { theme: 'Respect', title: 'Listening without judging' },
  cancelledReason: null,
  next: { date: '2026-12-03', time: '18:30' },
  standing: null,
};

describe('messages to the man', () => {
  it('reminds him the day before, in English, with the session he will have', () => {
    const mail = participantMessage(base);
    expect(mail.subject).toBe('Group tomorrow: Thursday, November 26, 6:30 PM');
    expect(mail.text).toContain('your group meets tomorrow, Thursday, November 26, at 6:30 PM, at Room 3, 202 W 2nd St.');
    expect(mail.text).toContain("Tomorrow's session: Respect — Listening without judging.");
  });

  it('writes to a Spanish-speaking man in Spanish, the curriculum titles too', () => {
    const mail = participantMessage({ ...base, language: 'es' });
    expect(mail.subject).toBe('Grupo mañana: jueves, 26 de noviembre, 6:30 p.m.');
    expect(mail.text).toContain('Sesión de mañana: Respeto — Escuchar sin juzgar.');
    expect(mail.text).not.toMatch(/Tomorrow|Respect\b/);
  });

  it('tells him there is no group, why, and when the next one is', () => {
    const mail = participantMessage({ ...base, kind: 'session_cancelled', cancelledReason: 'Closed: Thanksgiving' });
    expect(mail.subject).toBe('No group on Thursday, November 26');
    expect(mail.text).toContain('There is no group on Thursday, November 26: Closed: Thanksgiving.');
    expect(mail.text).toContain('Your next group is Thursday, December 3 at 6:30 PM.');
  });

  it('after a missed session says where he stands and what happens at the limit, singular and plural, before and past it', () => {
    const one = participantMessage({
      ...base,
      kind: 'missed_session',
      sessionDate: '2026-11-19',
      standing: { unexcusedAbsences: 1, limit: 3 },
    });
    expect(one.subject).toBe('You missed group on Thursday, November 19');
    expect(one.text).toContain('You now have 1 unexcused absence. The program allows 3.');
    expect(one.text).toContain('If you miss more without an excuse, your probation officer and the court will be told');
    const past = participantMessage({
      ...base,
      kind: 'missed_session',
      sessionDate: '2026-11-19',
      standing: { unexcusedAbsences: 4, limit: 3 },
    });
    expect(past.text).toContain('You now have 4 unexcused absences.');
    expect(past.text).toContain('Your probation officer and the court have been told.');
    const spanish = participantMessage({
      ...base,
      language: 'es',
      kind: 'missed_session',
      sessionDate: '2026-11-19',
      standing: { unexcusedAbsences: 2, limit: 3 },
    });
    expect(spanish.text).toContain('Ahora tiene 2 ausencias sin excusa. El programa permite 3.');
  });

  it('names the day in the right language and never shifts it by a time zone', () => {
    expect(spokenDate('2026-01-01', 'en')).toBe('Thursday, January 1');
    expect(spokenDate('2026-01-01', 'es')).toBe('jueves, 1 de enero');
  });
});
