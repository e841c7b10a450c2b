import { Module } from '@nestjs/common';
import { NoticeDispatcher } from './notice-dispatcher';
import { OutboxTransaction } from './outbox-transaction';

/** What writers of notices need: the outbox transaction and the after-commit dispatcher. */
@Module({ providers: [NoticeDispatcher, OutboxTransaction], exports: [NoticeDispatcher, OutboxTransaction] })
export class NoticesCoreModule {}
