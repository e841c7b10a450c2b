import { Module } from '@nestjs/common';
import { FieldCipher } from '../../config/field-cipher';
import { MailDispatcher } from './mail-dispatcher';
import { MailOutbox } from './mail-outbox.service';
import { MailOutcomes } from './mail-outcomes';
import { MailTransport } from './mail-transport.service';
import { OutboxTransaction } from './outbox-transaction';

/**
 * The bottom of the mail path: the outbox transaction, the mail outbox, the SMTP pool. Notices
 * and every feature that sends mail build on it; it imports none of them.
 */
@Module({
  providers: [FieldCipher, OutboxTransaction, MailOutbox, MailDispatcher, MailOutcomes, MailTransport],
  exports: [FieldCipher, OutboxTransaction, MailOutbox, MailOutcomes, MailTransport],
})
export class MailModule {}
