import { usDate } from '../../common/dates';
import { VictimNotificationEvent } from './victim-notification.entity';

interface MessageInput {
  recipientName: string;
  caseNumber: string;
  participantName: string;
  event: VictimNotificationEvent;
  on: Date;
  advocateName: string;
  advocateEmail: string;
  message?: string;
  timeZone: string;
}

/**
 * The standard words, written with advocates' practice in mind: plain facts, no program detail
 * she did not ask for, a reminder that completion is not safety, and a person to call.
 */
export function victimNotificationMessage(input: MessageInput): { subject: string; text: string } {
  const date = usDate(input.on, { timeZone: input.timeZone });
  const facts: Record<VictimNotificationEvent, string> = {
    enrolled: `On ${date}, ${input.participantName} enrolled in the court-ordered program in case ${input.caseNumber}. Being in the program does not mean he is safe to be around; please keep to your safety plan.`,
    completed: `On ${date}, ${input.participantName} completed the court-ordered program in case ${input.caseNumber}. Completing the program does not mean he is safe to be around; please keep to your safety plan.`,
    terminated: `On ${date}, ${input.participantName} was terminated from the court-ordered program in case ${input.caseNumber}, and the court and his probation officer have been told.`,
  };
  const fact = facts[input.event];
  const lines = [`Dear ${input.recipientName},`, '', 'You asked to be told about the program ordered in this case.', '', fact];
  if (input.message) lines.push('', input.message);
  lines.push(
    '',
    `If you would like to talk about what this means for your safety, your advocate is ${input.advocateName} (${input.advocateEmail}).`,
    '',
    'Only reply if it is safe for you to do so.',
  );
  return { subject: `Information you asked for: case ${input.caseNumber}`, text: lines.join('\n') };
}
