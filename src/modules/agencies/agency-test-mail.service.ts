import { Injectable } from '@nestjs/common';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { MailState, MailOutbox } from '../mail/mail-outbox.service';
import { MailStatus } from '../mail/mail-kind';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { AgenciesRepository } from './agencies.repository';
import { Agency } from './agency.entity';

/** Test sends of one agency in 24 hours: enough to try a fixed address, too few to flood a mailbox. */
export const TEST_MAILS_PER_DAY = 5;

const ON_ITS_WAY: readonly MailStatus[] = [MailStatus.Pending, MailStatus.Sending, MailStatus.Failed];

/**
 * "Send a test e-mail" on an agency's page: a short message to its notice address through the
 * one mail outbox (never SMTP inside the request), so staff see whether the address takes mail
 * before a real notice depends on it.
 */
@Injectable()
export class AgencyTestMail {
  constructor(
    private readonly outbox: OutboxTransaction,
    private readonly mails: MailOutbox,
    private readonly audit: AuditService,
    private readonly agencies: AgenciesRepository,
  ) {}

  async send(agencyId: string): Promise<string> {
    return this.outbox.run(async (manager) => {
      const agency = await manager.findOne(Agency, { where: { id: agencyId }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundError('agency');
      if (!agency.noticeEmail)
        throw new UnprocessableError('NOTICE_EMAIL_MISSING', `${agency.name} has no notice address to test; save one first`);
      const latest = await this.agencies.latestTestMailStatus(manager, agencyId);
      if (latest && ON_ITS_WAY.includes(latest)) {
        throw new UnprocessableError('TEST_MAIL_ON_ITS_WAY', 'The last test e-mail is still on its way; wait until it is sent or refused');
      }
      const today = await this.agencies.testMailsInLastDay(manager, agencyId);
      if (today >= TEST_MAILS_PER_DAY) {
        throw new UnprocessableError(
          'TEST_MAIL_LIMIT',
          `${TEST_MAILS_PER_DAY} test e-mails were sent to ${agency.name} in the last 24 hours; check the address with its owner first`,
        );
      }
      const mailId = await this.mails.add(manager, {
        kind: 'agency_test',
        refId: agency.id,
        to: agency.noticeEmail,
        subject: `Throughline test e-mail for ${agency.name}`,
        text: [
          `This is a test message from Throughline, the program's compliance notice system.`,
          ``,
          `Compliance notices for ${agency.name} are sent to this address. If it reached the right mailbox, nothing needs to be done; no reply is needed.`,
          `If it should go elsewhere, tell the program so it can correct the address.`,
        ].join('\n'),
      });
      // The address is the agency's and stays out of the audit trail, as in agency.update.
      await this.audit.record({ action: 'agency.test_mail', recordType: 'agency', recordId: agency.id, details: { mailId } }, manager);
      return mailId;
    });
  }

  latest(agencyId: string): Promise<MailState | null> {
    return this.mails.latestFor('agency_test', agencyId);
  }
}
