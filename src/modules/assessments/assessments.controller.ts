import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { AssessmentSummary, AssessmentView } from './assessment.view';
import { AssessmentsService } from './assessments.service';
import { RecordAssessmentDto } from './record-assessment.dto';

@ApiTags('assessments')
@Controller('api/v1/referrals/:id/assessments')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  /** The program records an intake assessment; the order's level, sessions and complete-by follow it. */
  @Post()
  @Roles(Role.Admin)
  record(
    @Param('id', ParseUUIDPipe) referralId: string,
    @Body() body: RecordAssessmentDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<AssessmentView> {
    return this.assessments.record(user, referralId, body);
  }

  /**
   * The history, newest first: probation and the court read the level, date and reason only, and
   * so does the CCR coordinator, who sees each case as the court does.
   */
  @Get()
  @Roles(Role.Admin, Role.ProbationOfficer, Role.CourtClerk, Role.Coordinator)
  async history(
    @Param('id', ParseUUIDPipe) referralId: string,
    @CurrentUser() user: SignedInUser,
  ): Promise<{ items: Array<AssessmentSummary | AssessmentView>; total: number }> {
    const items = await this.assessments.history(user, referralId);
    return { items, total: items.length };
  }
}
