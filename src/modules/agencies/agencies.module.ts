import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { AgenciesController } from './agencies.controller';
import { AgenciesRepository } from './agencies.repository';
import { AgenciesService } from './agencies.service';
import { AgencyTestMail } from './agency-test-mail.service';

@Module({
  imports: [MailModule],
  controllers: [AgenciesController],
  providers: [AgenciesService, AgencyTestMail, AgenciesRepository],
  exports: [AgenciesService, AgencyTestMail],
})
export class AgenciesModule {}
