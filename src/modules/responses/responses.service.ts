import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AuditService } from '../audit/audit.service';
import { AccessService } from '../access/access.service';
import { Role } from '../../common/auth/role.enum';
import { RecordResponseDto } from './record-response.dto';
import { agencyOfKind, HearingOutcome, KINDS_BY_AGENCY, ResponseAgency } from './response-kind.enum';
import { RESPONSE_ROW_FROM, RESPONSE_ROW_SELECT, ResponseRow, ResponseView, toResponseView } from './response.view';

/** The agency a recipient role answers for; other roles record nothing. */
export function agencyOfRole(role: Role): ResponseAgency | null {
  if (role === Role.ProbationOfficer) return ResponseAgency.Probation;
  if (role === Role.CourtClerk) return ResponseAgency.Court;
  return null;
}

/** Outcomes after which the program must decide about his seat at once. */
export const OUTCOMES_FOR_THE_PROGRAM: readonly HearingOutcome[] = Object.values(HearingOutcome);

export interface CourtOutcome {
  responseId: string;
  referralId: string;
  caseNumber: string;
  participantName: string;
  outcome: HearingOutcome;
  recordedAt: Date;
}

/**
 * Responses: what probation or the court did about an event it was sent. Recorded by the
 * recipient agency only (the officer for his men, the clerk for her court), on an event that
 * agency was notified of; read by the program admin and both agencies. Append-only: a correction
 * supersedes, once.
 */
@Injectable()
export class ResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async record(user: SignedInUser, eventId: string, input: RecordResponseDto): Promise<ResponseView> {
    const agency = agencyOfRole(user.role);
    if (!agency) throw new ForbiddenError();
    if (agencyOfKind(input.kind) !== agency) {
      throw new DomainError(
        'forbidden',
        'RESPONSE_NOT_YOUR_AGENCY',
        `${agency === ResponseAgency.Court ? 'The court' : 'Probation'} records ${KINDS_BY_AGENCY[agency].join(', ')}; ${input.kind} is the other agency's to record`,
      );
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const params = new SqlParams();
      const scope = this.access.scopeSql(user, 'response.record', 'r', params.bind);
      // The event's row lock orders concurrent responses (and corrections) to one event.
      const [event] = await manager.query<[{ id: string; referral_id: string; kind: string; withdrawn: boolean }?]>(
        `SELECT e.id, e.referral_id, e.kind,
                EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id) AS withdrawn
           FROM compliance_events e JOIN referrals r ON r.id = e.referral_id
          WHERE e.id = ${params.bind(eventId)} AND ${scope}
            AND EXISTS (SELECT 1 FROM notices n WHERE n.event_id = e.id AND n.purpose = 'event' AND n.recipient_kind = ${params.bind(agency === ResponseAgency.Probation ? 'probation_officer' : 'court')})
          FOR UPDATE OF e`,
        params.values,
      );
      if (!event) throw new NotFoundError('event');
      if (event.withdrawn || event.kind === 'corrected') {
        throw new ConflictError(
          'EVENT_WITHDRAWN',
          'A correction of the attendance record withdrew this event: there is nothing to respond to',
        );
      }
      if (input.supersedesId) {
        const [earlier] = await manager.query<[{ id: string; superseded: boolean }?]>(
          `SELECT er.id, EXISTS (SELECT 1 FROM event_responses s WHERE s.supersedes_id = er.id) AS superseded
             FROM event_responses er WHERE er.id = $1 AND er.event_id = $2 AND er.agency = $3`,
          [input.supersedesId, eventId, agency],
        );
        if (!earlier) throw new NotFoundError('response');
        if (earlier.superseded)
          throw new ConflictError('RESPONSE_SUPERSEDED', 'That response was already corrected; correct the latest one');
      }
      const [row] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO event_responses (event_id, referral_id, agency, kind, occurs_on, outcome, details, supersedes_id, recorded_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          eventId,
          event.referral_id,
          agency,
          input.kind,
          input.date || null,
          input.outcome ?? null,
          input.details || null,
          input.supersedesId ?? null,
          user.id,
        ],
      );
      // The clock stops: its reminders and escalations not yet e-mailed are settled, not sent.
      await manager.query(
        `UPDATE notices SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by_id = $3
          WHERE event_id = $1 AND status IN ('pending', 'failed')
            AND ((purpose = 'response_reminder' AND recipient_kind = $2) OR purpose = $4::notice_purpose)`,
        [eventId, agency === ResponseAgency.Court ? 'court' : 'probation_officer', user.id, `${agency}_response_escalation`],
      );
      await this.audit.record(
        {
          action: input.supersedesId ? 'response.correct' : 'response.record',
          recordType: 'event_response',
          recordId: row.id,
          details: {
            eventId,
            referralId: event.referral_id,
            kind: input.kind,
            outcome: input.outcome ?? null,
            supersedesId: input.supersedesId ?? null,
          },
        },
        manager,
      );
      return row.id;
    });
    const [row] = await this.dataSource.query<ResponseRow[]>(`SELECT ${RESPONSE_ROW_SELECT} FROM ${RESPONSE_ROW_FROM} WHERE er.id = $1`, [
      id,
    ]);
    return toResponseView(row);
  }

  /** A referral's responses, newest first (404 outside the caller's scope). */
  async forReferral(user: SignedInUser, referralId: string, options: { eventId?: string; audit?: boolean } = {}): Promise<ResponseView[]> {
    await this.access.requireAccess(user, 'referral.read', [referralId]);
    const params = new SqlParams();
    const where = [`er.referral_id = ${params.bind(referralId)}`];
    if (options.eventId) where.push(`er.event_id = ${params.bind(options.eventId)}`);
    const read = {
      sql: `SELECT ${RESPONSE_ROW_SELECT} FROM ${RESPONSE_ROW_FROM} WHERE ${where.join(' AND ')} ORDER BY er.recorded_at DESC, er.id`,
      params: params.values,
      // By his id (and an event's): planned once per connection.
      prepared: true,
    };
    // Audited in the statement that reads them.
    const rows =
      options.audit === false
        ? await queryPrepared<ResponseRow>(this.dataSource, read.sql, read.params)
        : await this.audit.auditedRead<ResponseRow>(read, {
            action: 'response.list',
            recordType: 'referral',
            recordId: referralId,
            returned: 'id',
          });
    return rows.map(toResponseView);
  }

  /** The responses to these events, newest first: for callers that already scoped the events (admin, coordinator). */
  async forEvents(eventIds: string[]): Promise<ResponseView[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.dataSource.query<ResponseRow[]>(
      `SELECT ${RESPONSE_ROW_SELECT} FROM ${RESPONSE_ROW_FROM} WHERE er.event_id = ANY($1::uuid[]) ORDER BY er.recorded_at DESC, er.id`,
      [eventIds],
    );
    await this.audit.record({ action: 'response.list', recordType: 'event_response', details: { returned: rows.map((row) => row.id) } });
    return rows.map(toResponseView);
  }

  /**
   * Court outcomes the program has not acted on yet: a hearing held on an open order, recorded
   * after the order's last status change (a program decision since then answers it). The admin's
   * pages show them at once; nothing is stored, so nothing can go stale.
   */
  async courtOutcomesToActOn(): Promise<CourtOutcome[]> {
    const rows = await this.dataSource.query<
      Array<{ id: string; referral_id: string; case_number: string; participant_name: string; outcome: HearingOutcome; recorded_at: Date }>
    >(
      `SELECT er.id, er.referral_id, r.case_number, p.first_name || ' ' || p.last_name AS participant_name, er.outcome, er.recorded_at
         FROM event_responses er
         JOIN referrals r ON r.id = er.referral_id
         JOIN participants p ON p.id = r.participant_id
        WHERE er.kind = 'hearing_held' AND er.outcome IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM event_responses s WHERE s.supersedes_id = er.id)
          AND r.status NOT IN ('completed', 'terminated', 'closed')
          AND er.recorded_at > r.status_changed_at
        ORDER BY er.recorded_at DESC LIMIT 50`,
    );
    return rows.map((row) => ({
      responseId: row.id,
      referralId: row.referral_id,
      caseNumber: row.case_number,
      participantName: row.participant_name,
      outcome: row.outcome,
      recordedAt: row.recorded_at,
    }));
  }
}
