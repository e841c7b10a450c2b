import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/http/validators';

export class CreateEnrollmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'groupId must be a UUID' })
  groupId: string;

  @ApiProperty({ example: '2026-11-24', description: 'May be in the past: intake is often entered after the first session' })
  @IsCalendarDate()
  startDate: string;
}
