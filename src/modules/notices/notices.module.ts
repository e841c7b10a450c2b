import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { NoticesCoreModule } from './notices-core.module';
import { NoticeInboxService } from './notice-inbox.service';
import { NoticesService } from './notices.service';

@Module({ imports: [NoticesCoreModule], controllers: [NoticesController], providers: [NoticesService, NoticeInboxService], exports: [NoticesService, NoticeInboxService] })
export class NoticesModule {}
