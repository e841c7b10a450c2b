import { unitInLanguage } from '../curricula/unit-titles';
import { MessageLanguage, translator } from '../../common/message-catalog';

export type ParticipantMessageKind = 'session_reminder' | 'session_cancelled' | 'missed_session';

export interface NextSession {
  date: string;
  time: string;
}

export interface MessageFacts {
  kind: ParticipantMessageKind;
  language: MessageLanguage;
  timeZone: string;
  programName: string;
  firstName: string;
  /** The session the message is about (YYYY-MM-DD, HH:MM). */
  sessionDate: string;
  sessionTime: string;
  place: string | null;
  unit: { theme: string; title: string } | null;
  cancelledReason: string | null;
  next: NextSession | null;
  /** For a missed session: where he stands against his policy's limit. */
  standing: { unexcusedAbsences: number; limit: number } | null;
}

/** A date as the man reads it in his language: "Thursday, November 26" / "jueves, 26 de noviembre". */
export function spokenDate(date: string, language: MessageLanguage): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

export function spokenTime(time: string, language: MessageLanguage): string {
  const [hours, minutes] = time.split(':').map(Number);
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, 0, 1, hours, minutes)),
  );
}

/**
 * The words of one message to a participant: help and accountability, in his language. It says
 * where and when, where he stands and what happens at the limit — never a word about the
 * victim or his partner, nor anything said in group. Pure.
 */
export function participantMessage(facts: MessageFacts): { subject: string; text: string } {
  const t = translator(facts.language);
  const date = spokenDate(facts.sessionDate, facts.language);
  const time = spokenTime(facts.sessionTime, facts.language);
  const next = facts.next ? { date: spokenDate(facts.next.date, facts.language), time: spokenTime(facts.next.time, facts.language) } : null;
  const lines: string[] = [t('greeting', { firstName: facts.firstName }), ''];
  let subject: string;
  switch (facts.kind) {
    case 'session_reminder':
      subject = t('reminder.subject', { date, time });
      lines.push(t('reminder.body', { date, time, place: facts.place ?? facts.programName }));
      if (facts.unit) lines.push('', t('reminder.unit', unitInLanguage(facts.unit, facts.language) ?? facts.unit));
      lines.push('', t('reminder.late'));
      break;
    case 'session_cancelled':
      subject = t('cancelled.subject', { date });
      lines.push(t('cancelled.body', { date, reason: facts.cancelledReason ?? '' }));
      if (next) lines.push('', t('cancelled.next', next));
      break;
    case 'missed_session': {
      subject = t('missed.subject', { date });
      lines.push(t('missed.body', { date }));
      if (facts.standing) {
        lines.push('', t('missed.standing', { count: facts.standing.unexcusedAbsences, limit: facts.standing.limit }));
        lines.push(t(facts.standing.unexcusedAbsences > facts.standing.limit ? 'missed.past_limit' : 'missed.at_limit'));
      }
      if (next) lines.push('', t('missed.help', next));
      break;
    }
  }
  lines.push('', t('closing', { program: facts.programName }), '', t('footer'));
  return { subject, text: lines.join('\n') };
}
