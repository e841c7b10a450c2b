import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../../common/http/pagination.dto';
import { AuditService } from '../audit/audit.service';
import { AgenciesRepository } from './agencies.repository';
import { Agency, AgencyKind } from './agency.entity';
import { CreateAgencyDto, UpdateAgencyDto } from './create-agency.dto';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';

@Injectable()
export class AgenciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly agencies: AgenciesRepository,
  ) {}

  async create(input: CreateAgencyDto): Promise<Agency> {
    if (needsNoticeAddress(input.kind) && !input.noticeEmail) {
      // Courts and probation must be reachable, or their notices have nowhere to go.
      throw new UnprocessableError('NOTICE_EMAIL_REQUIRED', `A ${input.kind} agency needs a noticeEmail`, {
        fields: { noticeEmail: ['noticeEmail is required for courts and probation departments'] },
      });
    }
    return this.dataSource.transaction(async (manager) => {
      const agency = await manager.save(
        manager.create(Agency, { name: input.name, kind: input.kind, noticeEmail: input.noticeEmail ?? null }),
      );
      await this.audit.record(
        { action: 'agency.create', recordType: 'agency', recordId: agency.id, details: { kind: input.kind, fields: definedFields(input) } },
        manager,
      );
      return agency;
    });
  }

  /** Corrects a name, the notice address (e.g. before resending a dead notice) or a kind chosen by mistake. */
  async update(id: string, input: UpdateAgencyDto): Promise<Agency> {
    return this.dataSource.transaction(async (manager) => {
      const agency = await manager.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundError('agency');
      if (input.name !== undefined) agency.name = input.name;
      const kindFrom = agency.kind;
      if (input.kind !== undefined && input.kind !== agency.kind) {
        await refuseKindInUse(this.agencies, manager, agency);
        agency.kind = input.kind;
      }
      const noticeEmail = input.noticeEmail === undefined ? agency.noticeEmail : input.noticeEmail;
      if (!noticeEmail && needsNoticeAddress(agency.kind)) {
        throw new UnprocessableError('NOTICE_EMAIL_REQUIRED', `A ${agency.kind} agency needs a noticeEmail`, {
          fields: { noticeEmail: ['noticeEmail is required for courts and probation departments'] },
        });
      }
      if (input.noticeEmail !== undefined) agency.noticeEmail = input.noticeEmail;
      await manager.save(agency);
      await this.audit.record(
        {
          action: 'agency.update',
          recordType: 'agency',
          recordId: id,
          details: { fields: definedFields(input), ...(kindFrom !== agency.kind ? { kind: { from: kindFrom, to: agency.kind } } : {}) },
        },
        manager,
      );
      return agency;
    });
  }

  async list(limit: number, offset: number, kind?: AgencyKind): Promise<Page<Agency>> {
    const [items, total] = await this.dataSource.getRepository(Agency).findAndCount({
      where: kind ? { kind } : {},
      order: { name: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async findById(id: string): Promise<Agency | null> {
    return this.dataSource.getRepository(Agency).findOneBy({ id });
  }
}

/**
 * A kind says whose people work there (a court's clerks, probation's officers) and where its
 * referrals' notices go, so it is a correction of a mistake made at creation, not a change of
 * what the agency is: refused once anybody or anything depends on it.
 */
async function refuseKindInUse(agencies: AgenciesRepository, manager: EntityManager, agency: Agency): Promise<void> {
  const use = await agencies.useOf(manager, agency.id);
  const inUse = [
    use.users ? `${use.users} user${use.users === 1 ? '' : 's'}` : null,
    use.referrals ? `${use.referrals} referral${use.referrals === 1 ? '' : 's'}` : null,
    use.notices ? `${use.notices} notice${use.notices === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  if (!inUse.length) return;
  const one = use.users + use.referrals + use.notices === 1;
  const message = `The kind cannot change: ${inUse.join(', ')} ${one ? 'depends' : 'depend'} on ${agency.name} being a ${agency.kind} agency`;
  throw new UnprocessableError('AGENCY_KIND_IN_USE', message, { fields: { kind: [message] } });
}

function needsNoticeAddress(kind: AgencyKind): boolean {
  return kind === AgencyKind.Court || kind === AgencyKind.Probation;
}

/** Audit entries name the fields given, never their values (a notice address is a person's e-mail). */
function definedFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
}
