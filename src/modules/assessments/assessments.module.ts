import { Module } from '@nestjs/common';
import { ReferralsModule } from '../referrals/referrals.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsService } from './assessments.service';

/** Intake assessment and levels: how long his order runs, decided by the program and told to the court. */
@Module({
  imports: [ReferralsModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsService],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
