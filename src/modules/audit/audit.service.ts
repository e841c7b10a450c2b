import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../../common/context/request-context';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  recordType: string;
  recordId?: string | null;
  details?: Record<string, unknown> | null;
  /** When the actor is not the signed-in user (failed login, the worker). */
  actorUserId?: string | null;
  actorRole?: string | null;
}

/**
 * Writes audit entries. Changes pass their transaction's manager so the entry commits
 * (or rolls back) with the change it describes.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditRecord[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    const context = RequestContext.current();
    const rows = entries.map((entry) => ({
      actorUserId: entry.actorUserId !== undefined ? entry.actorUserId : (context?.user?.id ?? null),
      actorRole: entry.actorRole !== undefined ? entry.actorRole : (context?.user?.role ?? null),
      action: entry.action,
      recordType: entry.recordType,
      recordId: entry.recordId ?? null,
      ipAddress: context?.ipAddress ?? null,
      requestId: context?.requestId ?? null,
      details: (entry.details ?? null) as never,
    }));
    await manager.createQueryBuilder().insert().into(AuditEntry).values(rows).execute();
  }
}
