import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { NoticesCoreModule } from './notices-core.module';
import { NoticesService } from './notices.service';

@Module({ imports: [NoticesCoreModule], controllers: [NoticesController], providers: [NoticesService], exports: [NoticesService] })
export class NoticesModule {}
