import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ProgramClock } from '../../config/program-clock';
import { usDate } from '../../common/dates';
import { FeesService } from './fees.service';
import { receiptLabel, renderReceipt } from './receipt-pdf';

@Injectable()
export class FeeReceiptService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fees: FeesService,
    private readonly clock: ProgramClock,
  ) {}

  /** The receipt of one payment, named by case and receipt number. */
  async render(user: SignedInUser, referralId: string, paymentId: string): Promise<{ pdf: Buffer; fileName: string }> {
    const { referral, payment, balanceCents } = await this.fees.payment(user, referralId, paymentId);
    const [facts] = await this.dataSource.query<
      Array<{ first_name: string; last_name: string; court_name: string; program_name: string | null }>
    >(
      `SELECT p.first_name, p.last_name, court.name AS court_name,
              (SELECT name FROM agencies WHERE kind = 'program' ORDER BY created_at LIMIT 1) AS program_name
         FROM referrals r JOIN participants p ON p.id = r.participant_id JOIN agencies court ON court.id = r.court_agency_id
        WHERE r.id = $1`,
      [referral.id],
    );
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a payment always has its receipt number
    const label = receiptLabel(payment.receiptNumber!);
    const pdf = await renderReceipt({
      programName: facts.program_name ?? 'The program',
      receiptNumber: label,
      paidOn: usDate(payment.createdAt, { timeZone: this.clock.timeZone }),
      participantName: `${facts.first_name} ${facts.last_name}`,
      caseNumber: referral.caseNumber,
      courtName: facts.court_name,
      amountCents: -payment.amountCents,
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a payment always has its method
      method: payment.method!,
      note: payment.reason,
      recordedBy: payment.recordedBy,
      balanceAfterCents: balanceCents,
    });
    return { pdf, fileName: `${referral.caseNumber.replace(/[^A-Za-z0-9]+/g, '-')}-receipt-${label}.pdf` };
  }
}
