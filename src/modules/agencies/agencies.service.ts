import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page } from '../../common/http/pagination.dto';
import { AuditService } from '../audit/audit.service';
import { Agency, AgencyKind } from './agency.entity';
import { CreateAgencyDto, UpdateAgencyDto } from './create-agency.dto';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';

@Injectable()
export class AgenciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
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

  /** Corrects a name or the notice address (e.g. before resending a dead notice). */
  async update(id: string, input: UpdateAgencyDto): Promise<Agency> {
    return this.dataSource.transaction(async (manager) => {
      const agency = await manager.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundError('agency');
      if (input.name !== undefined) agency.name = input.name;
      if (input.noticeEmail === null && needsNoticeAddress(agency.kind)) {
        throw new UnprocessableError('NOTICE_EMAIL_REQUIRED', `A ${agency.kind} agency needs a noticeEmail`, {
          fields: { noticeEmail: ['noticeEmail is required for courts and probation departments'] },
        });
      }
      if (input.noticeEmail !== undefined) agency.noticeEmail = input.noticeEmail;
      await manager.save(agency);
      await this.audit.record({ action: 'agency.update', recordType: 'agency', recordId: id, details: { fields: definedFields(input) } }, manager);
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

function needsNoticeAddress(kind: AgencyKind): boolean {
  return kind === AgencyKind.Court || kind === AgencyKind.Probation;
}

/** Audit entries name the fields given, never their values (a notice address is a person's e-mail). */
function definedFields(input: object): string[] {
  return Object.entries(input).filter(([, value]) => value !== undefined).map(([name]) => name);
}
