import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { addDays, addMonths } from '../../common/dates';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, pageTotal } from '../../common/http/pagination.dto';
import { ProgramClock } from '../../config/program-clock';
import { Agency, AgencyKind } from '../agencies/agency.entity';
import { AuditService } from '../audit/audit.service';
import { countAttendance, MarkFact } from '../compliance/attendance-counts';
import { ComplianceService } from '../compliance/compliance.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { loadMarkFacts } from '../compliance/mark-facts.repository';
import { Participant } from '../participants/participant.entity';
import { Policy } from '../policies/policy.entity';
import { policyJsonSql, rememberPolicyJson } from '../policies/policy-of';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';
import { CreateReferralDto, ParticipantInputDto } from './create-referral.dto';
import { AccessService } from '../access/access.service';
import { ReferralHistoryService } from './referral-history.service';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { Referral } from './referral.entity';
import { complianceBlock, REFERRAL_ROW_FROM, REFERRAL_ROW_SELECT, ReferralRow, ReferralView, toReferralView } from './referral.view';

/** His record as the referral's read answers it, with his policy's row (policy-of.ts). */
type ReferralRowWithPolicy = ReferralRow & { policy_json: Record<string, unknown> };

/** Older orders are almost certainly a typing mistake. */
const MAX_ORDER_AGE_DAYS = 5 * 365;

export interface ReferralFilters {
  caseNumber?: string;
  /** Part of his name or of the case number (spaces, dashes and case ignored in the number); staff pages. */
  search?: string;
  status?: ReferralStatus;
  probationOfficerId?: string;
  courtAgencyId?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class ReferralsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
    private readonly history: ReferralHistoryService,
    private readonly outbox: OutboxTransaction,
    private readonly compliance: ComplianceService,
  ) {}

  /** Creates the participant (or reuses the one with this name and date of birth) and the order, atomically. */
  async create(input: CreateReferralDto, user: SignedInUser): Promise<ReferralView & { participantMatched: boolean }> {
    const today = this.clock.today();
    const fields: Record<string, string[]> = {};
    const bornTooRecently = input.participant.dateOfBirth >= addDays(today, -365 * 14);
    if (bornTooRecently) fields['participant.dateOfBirth'] = ['participant.dateOfBirth must be at least 14 years ago'];
    if (input.orderedOn > today) fields.orderedOn = ['orderedOn cannot be in the future'];
    else if (input.orderedOn < addDays(today, -MAX_ORDER_AGE_DAYS))
      fields.orderedOn = ['orderedOn is more than five years ago; check the date'];
    // Only worth saying when the date of birth itself is plausible; otherwise that is the mistake.
    else if (!bornTooRecently && input.orderedOn < addDays(input.participant.dateOfBirth, 365 * 14)) {
      fields.orderedOn = ['orderedOn is before he was 14; check the dates'];
    }
    if (Object.keys(fields).length) throw new UnprocessableError('REFERRAL_INVALID', Object.values(fields).flat().join('; '), { fields });

    try {
      const { referralId, participantMatched } = await this.outbox.run(async (manager) => {
        const policy = await this.requireReferences(manager, input);
        const { participant, matched } = await this.findOrCreateParticipant(manager, input.participant);
        const duplicate = await manager.existsBy(Referral, { courtAgencyId: input.courtAgencyId, caseNumber: input.caseNumber });
        if (duplicate) throw duplicateCase(input.caseNumber);
        const referral = await manager.save(
          manager.create(Referral, {
            participantId: participant.id,
            caseNumber: input.caseNumber,
            courtAgencyId: input.courtAgencyId,
            probationOfficerId: input.probationOfficerId,
            policyId: policy.id,
            orderedOn: input.orderedOn,
            enrollBy: addDays(input.orderedOn, policy.enrollWithinDays),
            completeBy: addMonths(input.orderedOn, policy.completeWithinMonths),
            // Until an intake assessment chooses a level, the order asks what the policy says.
            requiredSessions: policy.requiredSessions,
            completeWithinMonths: policy.completeWithinMonths,
            status: ReferralStatus.Referred,
          }),
        );
        await this.audit.record(
          {
            action: 'referral.create',
            recordType: 'referral',
            recordId: referral.id,
            details: { participantId: participant.id, participantMatched: matched, policyId: policy.id },
          },
          manager,
        );
        // Calendar rules (e.g. enroll-by already passed) wait for the nightly sweep: intake is often
        // typed in after his first session, and the enrollment that follows must not be preceded
        // by a false failure-to-enroll notice to the court.
        await this.compliance.evaluate(manager, [referral.id]);
        return { referralId: referral.id, participantMatched: matched };
      });
      return { ...(await this.get(user, referralId, { audit: false })), participantMatched };
    } catch (error) {
      if (error instanceof QueryFailedError && (error as QueryFailedError & { code?: string }).code === '23505') {
        throw duplicateCase(input.caseNumber);
      }
      throw error;
    }
  }

  private async requireReferences(manager: EntityManager, input: CreateReferralDto): Promise<Policy> {
    // One after another: a transaction's connection runs one query at a time.
    const court = await manager.findOneBy(Agency, { id: input.courtAgencyId });
    const officer = await manager.findOneBy(User, { id: input.probationOfficerId });
    const policy = await manager.findOneBy(Policy, { id: input.policyId });
    const fields: Record<string, string[]> = {};
    if (!court || court.kind !== AgencyKind.Court) fields.courtAgencyId = ['courtAgencyId must name a court'];
    if (!officer || officer.role !== Role.ProbationOfficer || !officer.active) {
      fields.probationOfficerId = ['probationOfficerId must name an active probation officer'];
    }
    if (!policy) fields.policyId = ['policyId must name a policy'];
    if (Object.keys(fields).length || !policy) {
      throw new UnprocessableError('REFERRAL_REFERENCES_INVALID', Object.values(fields).flat().join('; '), { fields });
    }
    return policy;
  }

  private async findOrCreateParticipant(
    manager: EntityManager,
    input: ParticipantInputDto,
  ): Promise<{ participant: Participant; matched: boolean }> {
    const firstNameKey = nameKey(input.firstName);
    const lastNameKey = nameKey(input.lastName);
    // Serialise intake of the same person so two clerks entering him at once make one record.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`participant:${lastNameKey}:${firstNameKey}:${input.dateOfBirth}`]);
    const existing = await manager.findOneBy(Participant, { firstNameKey, lastNameKey, dateOfBirth: input.dateOfBirth });
    if (existing) return { participant: existing, matched: true };
    const participant = await manager.save(
      manager.create(Participant, {
        firstName: input.firstName,
        lastName: input.lastName,
        firstNameKey,
        lastNameKey,
        dateOfBirth: input.dateOfBirth,
        email: input.email ?? null,
        phone: input.phone ?? null,
        language: input.language ?? 'en',
      }),
    );
    await this.audit.record({ action: 'participant.create', recordType: 'participant', recordId: participant.id }, manager);
    return { participant, matched: false };
  }

  async list(user: SignedInUser, filters: ReferralFilters): Promise<Page<ReferralView>> {
    if (user.role === Role.CourtClerk && !filters.caseNumber) {
      // The court looks a case up; it does not browse the program's list of men.
      throw new UnprocessableError('CASE_NUMBER_REQUIRED', 'Court clerks look referrals up by case number', {
        fields: { caseNumber: ['caseNumber is required for court clerks'] },
      });
    }
    const params = new SqlParams();
    const where = [this.access.scopeSql(user, 'referral.read', 'r', params.bind)];
    if (filters.caseNumber) where.push(`r.case_number = ${params.bind(filters.caseNumber.trim().toUpperCase())}`);
    if (filters.search?.trim()) {
      const name = `%${filters.search
        .trim()
        .toLowerCase()
        .slice(0, 80)
        .replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      const number = normaliseCaseNumber(filters.search);
      where.push(
        `(r.participant_id IN (SELECT p2.id FROM participants p2 WHERE lower(p2.first_name || ' ' || p2.last_name) LIKE ${params.bind(name)})` +
          (number ? ` OR strpos(regexp_replace(upper(r.case_number), '[^A-Z0-9]', '', 'g'), ${params.bind(number)}) > 0)` : ')'),
      );
    }
    if (filters.status) where.push(`r.status = ${params.bind(filters.status)}`);
    if (filters.probationOfficerId) where.push(`r.probation_officer_id = ${params.bind(filters.probationOfficerId)}`);
    if (filters.courtAgencyId) where.push(`r.court_agency_id = ${params.bind(filters.courtAgencyId)}`);
    const whereSql = where.join(' AND ');
    const filterValues = [...params.values];
    // The read and its audit entry are one statement: a case lookup is one round trip.
    const rows = await this.audit.auditedRead<ReferralRow>(
      {
        sql: `SELECT ${REFERRAL_ROW_SELECT}
                FROM ${REFERRAL_ROW_FROM}
               WHERE ${whereSql}
               ORDER BY r.created_at DESC, r.id
               LIMIT ${params.bind(filters.limit)} OFFSET ${params.bind(filters.offset)}`,
        params: params.values,
        // A lookup by case number is the court's hot read, and the unique index answers it whatever the values.
        prepared: Boolean(filters.caseNumber) && !filters.search,
      },
      {
        action: 'referral.list',
        recordType: 'referral',
        // Which filters, not their values: a case number is as identifying as a name.
        details: { filters: Object.keys(filters).filter((name) => filters[name as keyof ReferralFilters] !== undefined) },
        returned: 'id',
      },
    );
    const total = await pageTotal(rows.length, filters, async () => {
      const [counted] = await this.dataSource.query<Array<{ total: number }>>(
        `SELECT count(*)::int AS total FROM referrals r WHERE ${whereSql}`,
        filterValues,
      );
      return counted.total;
    });
    return { items: rows.map((row) => toReferralView(row, user.role)), total };
  }

  /**
   * Case numbers of the user's scope containing a fragment (at least 4 characters), for a clerk
   * who typed part of one. Case numbers only — no names — and a handful at most.
   */
  async caseNumbersLike(user: SignedInUser, fragment: string): Promise<{ caseNumbers: string[]; total: number }> {
    // Compared without spaces, dashes or case on both sides: "69du cr 26 1407" finds 69DU-CR-26-1407.
    const cleaned = normaliseCaseNumber(fragment);
    if (cleaned.length < 4) return { caseNumbers: [], total: 0 };
    const params = new SqlParams();
    const rows: Array<{ case_number: string; total: number }> = await this.dataSource.query(
      `SELECT r.case_number, count(*) OVER ()::int AS total FROM referrals r
        WHERE ${this.access.scopeSql(user, 'referral.read', 'r', params.bind)}
          AND strpos(regexp_replace(upper(r.case_number), '[^A-Z0-9]', '', 'g'), ${params.bind(cleaned)}) > 0
        ORDER BY r.case_number LIMIT ${CASE_SUGGESTIONS}`,
      params.values,
    );
    return { caseNumbers: rows.map((row) => row.case_number), total: rows[0]?.total ?? 0 };
  }

  /** One referral with its compliance block; reading it is audited (participant data). */
  async get(
    user: SignedInUser,
    referralId: string,
    options: {
      audit?: boolean;
      enrollments?: boolean;
      /** His marks on held sessions, oldest first, when the caller reads them anyway (the referral page's attendance history). */
      marks?: Promise<MarkFact[]>;
    } = {},
  ): Promise<ReferralView> {
    await this.access.requireAccess(user, 'referral.read', [referralId]);
    // By primary key whatever the id: prepared, so each connection plans it once (the join of five
    // tables planned for every page cost more than it took to run).
    // His policy comes with his record (every service of the page asks for it), not in a read after it.
    const read = {
      sql: `SELECT ${REFERRAL_ROW_SELECT}, ${policyJsonSql('pol')} AS policy_json FROM ${REFERRAL_ROW_FROM} WHERE r.id = $1`,
      params: [referralId],
      prepared: true,
    };
    // Audited in the statement that reads his record, not a round trip after it.
    // His marks are read beside his record, not after it: the access check above has already let him
    // through, and the marks (unaudited, of no one else) are dropped unread if the record is gone.
    const [rows, marks] = await Promise.all([
      options.audit === false
        ? queryPrepared<ReferralRowWithPolicy>(this.dataSource, read.sql, read.params)
        : this.audit.auditedRead<ReferralRowWithPolicy>(read, { action: 'referral.read', recordType: 'referral', recordId: referralId }),
      options.marks ?? loadMarkFacts(this.dataSource.manager, [referralId]).then((facts) => facts.get(referralId) ?? []),
    ]);
    const row = rows.at(0);
    if (!row) throw new NotFoundError('referral');
    const policy = rememberPolicyJson(this.dataSource, row.policy_json);
    const view = toReferralView(row, user.role);
    view.compliance = complianceBlock(
      countAttendance(marks, { requiredSessions: row.required_sessions, leftEarlyCounts: policy.leftEarlyCounts }),
      user.role,
    );
    // The referral page reads his enrollments with his attendance, and asks for them once.
    if (user.role !== Role.CourtClerk && options.enrollments !== false) view.enrollments = await this.history.enrollments(referralId);
    return view;
  }
}

function nameKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** How many case numbers a partial lookup offers; the page says how many more there are. */
export const CASE_SUGGESTIONS = 8;

/** A case number as compared: letters and digits only, upper case. */
export function normaliseCaseNumber(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function duplicateCase(caseNumber: string): ConflictError {
  return new ConflictError('CASE_NUMBER_TAKEN', `Case ${caseNumber} is already referred from this court`);
}
