import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { maybeOne, one } from '../../common/database/sql';
import { MailStatus } from '../mail/mail-kind';

/** What depends on an agency being of its kind. */
export interface AgencyUseRow {
  users: number;
  referrals: number;
  notices: number;
}

/** The agencies' hand-written statements, in the caller's transaction. */
@Injectable()
export class AgenciesRepository {
  useOf(manager: EntityManager, agencyId: string): Promise<AgencyUseRow> {
    return one<AgencyUseRow>(
      manager,
      `SELECT (SELECT count(*)::int FROM users WHERE agency_id = $1) AS users,
            (SELECT count(*)::int FROM referrals WHERE court_agency_id = $1) AS referrals,
            (SELECT count(*)::int FROM notices WHERE recipient_agency_id = $1) AS notices`,
      [agencyId],
    );
  }

  /** Where the agency's latest test e-mail stands, if it ever had one. */
  async latestTestMailStatus(manager: EntityManager, agencyId: string): Promise<MailStatus | null> {
    const latest = await maybeOne<{ status: MailStatus }>(
      manager,
      `SELECT status FROM outgoing_mails WHERE kind = 'agency_test' AND ref_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [agencyId],
    );
    return latest?.status ?? null;
  }

  async testMailsInLastDay(manager: EntityManager, agencyId: string): Promise<number> {
    const { today } = await one<{ today: number }>(
      manager,
      `SELECT count(*)::int AS today FROM outgoing_mails WHERE kind = 'agency_test' AND ref_id = $1 AND created_at > now() - interval '24 hours'`,
      [agencyId],
    );
    return today;
  }
}
