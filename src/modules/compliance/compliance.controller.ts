import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { Queue } from 'bull';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { PaginationQuery } from '../../common/http/pagination.dto';
import { AuditService } from '../audit/audit.service';
import { JobName, QueueName } from '../queues/queue-names';
import { Role } from '../../common/auth/role.enum';
import { Caseload, CaseloadService } from './caseload.service';

class CaseloadQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admin only: whose caseload' })
  @IsOptional()
  @IsUUID('all', { message: 'probationOfficerId must be a UUID' })
  probationOfficerId?: string;

  @ApiPropertyOptional({ description: 'Include referrals closed more than 30 days ago' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeClosed?: boolean;
}

@ApiTags('compliance')
@Controller('api/v1/compliance')
export class ComplianceController {
  constructor(
    private readonly caseloads: CaseloadService,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly audit: AuditService,
  ) {}

  /** A probation officer's own caseload with standing, worst first. */
  @Get('caseload')
  @Roles(Role.ProbationOfficer, Role.Admin)
  caseload(@Query() query: CaseloadQuery, @CurrentUser() user: SignedInUser): Promise<Caseload> {
    return this.caseloads.caseload(user, query);
  }

  /** Runs the nightly sweep now (in a worker); safe to call any number of times. */
  @Post('sweep')
  @Roles(Role.Admin)
  @HttpCode(202)
  async sweep(): Promise<{ queued: true }> {
    const job = await this.maintenance.add(JobName.DailyComplianceSweep, {}, { removeOnComplete: 50, removeOnFail: 50 });
    // Who ran the rules by hand, and when: the sweep's own changes are audited as the system's.
    await this.audit.record({
      action: 'compliance.sweep_requested',
      recordType: 'compliance_sweep',
      recordId: null,
      details: { jobId: String(job.id) },
    });
    return { queued: true };
  }
}
