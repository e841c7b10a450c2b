import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { MailModule } from '../mail/mail.module';
import { NoticeInboxService } from './notice-inbox.service';
import { NoticesService } from './notices.service';

@Module({
  imports: [MailModule],
  controllers: [NoticesController],
  providers: [NoticesService, NoticeInboxService],
  exports: [NoticesService, NoticeInboxService],
})
export class NoticesModule {}
