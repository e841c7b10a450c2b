import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** The two outboxes: compliance notices (rendered with letters) and every other mail. */
export type OutboxName = 'notices' | 'mails';
type Dispatch = (ids: string[]) => Promise<unknown>;

const pendingByManager = new WeakMap<EntityManager, Record<OutboxName, string[]>>();

/**
 * A transaction that may write notices or mails: they are queued only after it commits, so a
 * rolled-back change never sends anything, and a committed one never loses it (the relays back
 * this up). The outboxes register how they queue, so this module imports none of them.
 */
@Injectable()
export class OutboxTransaction {
  private readonly dispatchers = new Map<OutboxName, Dispatch>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  register(outbox: OutboxName, dispatch: Dispatch): void {
    this.dispatchers.set(outbox, dispatch);
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const pending: Record<OutboxName, string[]> = { notices: [], mails: [] };
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

  /** Called by whoever wrote notices inside `run`. */
  static enlist(manager: EntityManager, noticeIds: string[], outbox: OutboxName = 'notices'): void {
    const pending = pendingByManager.get(manager);
    if (!pending) throw new Error(`${outbox} written outside an OutboxTransaction would never be queued after commit`);
    pending[outbox].push(...noticeIds);
  }
}
