import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { MailModule } from '../mail/mail.module';
import { NoticeDispatcher } from './notice-dispatcher';
import { NoticeInboxService } from './notice-inbox.service';
import { NoticesService } from './notices.service';

@Module({
  imports: [MailModule],
  controllers: [NoticesController],
  providers: [NoticeDispatcher, NoticesService, NoticeInboxService],
  exports: [NoticeDispatcher, NoticesService, NoticeInboxService],
})
export class NoticesModule {}
