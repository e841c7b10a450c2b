import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NoticeDispatcher } from './notice-dispatcher';

const pendingByManager = new WeakMap<EntityManager, string[]>();

/**
 * A transaction that may write notices: they are queued only after it commits, so a rolled-back
 * change never sends a notice, and a committed one never loses it (the relay backs this up).
 */
@Injectable()
export class OutboxTransaction {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: NoticeDispatcher,
  ) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const pending: string[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      pendingByManager.set(manager, pending);
      return work(manager);
    });
    // Not awaited: the request must not wait for (or fail with) Redis.
    if (pending.length) void this.dispatcher.dispatch(pending);
    return result;
  }

  /** Called by whoever wrote notices inside `run`. */
  static enlist(manager: EntityManager, noticeIds: string[]): void {
    const pending = pendingByManager.get(manager);
    if (!pending) throw new Error('Notices written outside an OutboxTransaction would never be queued after commit');
    pending.push(...noticeIds);
  }
}
