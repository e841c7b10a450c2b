import { MailStatus } from '../mail/mail-kind';
import { VictimNotificationStatus } from './victim-notification.entity';

/**
 * What the advocate is told of an e-mail she approved, from the notification and its mail. The
 * two are read by separate statements, so the mail may already be finished (sent, or refused)
 * while the notification read a moment earlier still says "sending": the outcome is written to
 * both in one transaction, so that is only a page drawn between them, and it is still on its way
 * as far as that page knows. Only a mail the server may or may not have (unknown), or a sending
 * notification with no mail at all, is "not confirmed": never resent blindly, she is asked.
 */
export function victimNotificationDelivery(
  status: VictimNotificationStatus,
  mailStatus: MailStatus | undefined,
): 'on_its_way' | 'not_confirmed' | null {
  if (status !== VictimNotificationStatus.Sending) return null;
  if (mailStatus === undefined || mailStatus === MailStatus.Unknown) return 'not_confirmed';
  return 'on_its_way';
}
