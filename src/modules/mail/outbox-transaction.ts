import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The outboxes queued from here after commit: every mail that is not a notice. Compliance notices
 * are not: their table's trigger signals the worker on commit (migration NoticesDueSignal) and
 * its relay queues them, so no request waits on Redis for them.
 */
export type OutboxName = 'mails';
type Dispatch = (ids: string[]) => Promise<unknown>;

const pendingByManager = new WeakMap<EntityManager, Record<OutboxName, string[]>>();

/**
 * A transaction that may write mails: they are queued only after it commits, so a rolled-back
 * change never sends anything, and a committed one never loses it (the mail relay backs this up).
 * The outboxes register how they queue, so this module imports none of them.
 */
@Injectable()
export class OutboxTransaction {
  private readonly dispatchers = new Map<OutboxName, Dispatch>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  register(outbox: OutboxName, dispatch: Dispatch): void {
    this.dispatchers.set(outbox, dispatch);
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const pending: Record<OutboxName, string[]> = { mails: [] };
    const result = await this.dataSource.transaction(async (manager) => {
      pendingByManager.set(manager, pending);
      return work(manager);
    });
    // Not awaited: the request must not wait for (or fail with) Redis.
    for (const [outbox, ids] of Object.entries(pending) as Array<[OutboxName, string[]]>) {
      const dispatch = this.dispatchers.get(outbox);
      if (ids.length && dispatch) void dispatch(ids);
    }
    return result;
  }

  /** Called by whoever wrote mails inside `run`. */
  static enlist(manager: EntityManager, ids: string[], outbox: OutboxName): void {
    const pending = pendingByManager.get(manager);
    if (!pending) throw new Error(`${outbox} written outside an OutboxTransaction would never be queued after commit`);
    pending[outbox].push(...ids);
  }
}
