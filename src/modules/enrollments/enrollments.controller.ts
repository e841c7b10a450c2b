import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { CreateEnrollmentDto } from './create-enrollment.dto';
import { EnrollmentResult, EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
@Controller('api/v1/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Post()
  @Roles(Role.Admin)
  enroll(@Body() body: CreateEnrollmentDto, @CurrentUser() user: SignedInUser): Promise<EnrollmentResult> {
    return this.enrollments.enroll(user, body);
  }
}
