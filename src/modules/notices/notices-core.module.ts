import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { NoticeDispatcher } from './notice-dispatcher';

/** What writers of notices need: the outbox transaction (from mail) and the notices' dispatcher. */
@Module({ imports: [MailModule], providers: [NoticeDispatcher], exports: [NoticeDispatcher, MailModule] })
export class NoticesCoreModule {}
