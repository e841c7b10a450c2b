import { MailStatus } from '../mail/mail-kind';
import { VictimNotificationStatus } from './victim-notification.entity';
import { victimNotificationDelivery } from './victim-notification-delivery';

describe('what the advocate is told of her e-mail', () => {
  it('says nothing once the notification is decided', () => {
    for (const status of Object.values(VictimNotificationStatus).filter((s) => s !== VictimNotificationStatus.Sending)) {
      for (const mail of [...Object.values(MailStatus), undefined]) expect(victimNotificationDelivery(status, mail)).toBeNull();
    }
  });

  it('says on its way while the mail waits, is being sent or is to be tried again', () => {
    for (const mail of [MailStatus.Pending, MailStatus.Sending, MailStatus.Failed])
      expect(victimNotificationDelivery(VictimNotificationStatus.Sending, mail)).toBe('on_its_way');
  });

  // A page drawn between the two reads saw the notification before the outcome and the mail after
  // it: it said "not confirmed, check with her" for an e-mail that had just been delivered.
  it('says on its way, not "not confirmed", for a mail finished after the notification was read', () => {
    expect(victimNotificationDelivery(VictimNotificationStatus.Sending, MailStatus.Sent)).toBe('on_its_way');
    expect(victimNotificationDelivery(VictimNotificationStatus.Sending, MailStatus.Dead)).toBe('on_its_way');
  });

  it('says not confirmed for a mail the server may or may not have, and for a sending notification without a mail', () => {
    expect(victimNotificationDelivery(VictimNotificationStatus.Sending, MailStatus.Unknown)).toBe('not_confirmed');
    expect(victimNotificationDelivery(VictimNotificationStatus.Sending, undefined)).toBe('not_confirmed');
  });
});
