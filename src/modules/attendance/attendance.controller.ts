import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Roster } from '../sessions/roster.service';
import { Role } from '../../common/auth/role.enum';
import { AttendanceService } from './attendance.service';
import { MarkAttendanceDto } from './mark-attendance.dto';

@ApiTags('attendance')
@Controller('api/v1/sessions')
@Roles(Role.Admin, Role.Facilitator)
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  /** The whole roster at once; answers with the roster as now recorded. */
  @Put(':id/attendance')
  mark(@Param('id', ParseUUIDPipe) id: string, @Body() body: MarkAttendanceDto, @CurrentUser() user: SignedInUser): Promise<Roster> {
    return this.attendance.mark(user, id, body.marks);
  }
}
