import { Controller, Get, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { inlinePdf } from '../notices/pdf-file-names';
import { Role } from '../../common/auth/role.enum';
import { ProgressReportService } from './progress-report.service';

@ApiTags('reports')
@Controller('api/v1/referrals')
export class ReportsController {
  constructor(private readonly progressReports: ProgressReportService) {}

  @Get(':id/progress-report')
  @Roles(Role.Admin, Role.ProbationOfficer)
  @ApiProduces('application/pdf')
  async progressReport(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<StreamableFile> {
    const { pdf, fileName } = await this.progressReports.renderNamed(user, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: inlinePdf(fileName) });
  }
}
