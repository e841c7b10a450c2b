import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Trim } from '../../common/http/validators';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';

export class AttendanceMarkDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'enrollmentId must be a UUID' })
  enrollmentId: string;

  @ApiProperty({ enum: AttendanceStatus })
  @IsEnum(AttendanceStatus, { message: `status must be one of: ${Object.values(AttendanceStatus).join(', ')}` })
  status: AttendanceStatus;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class MarkAttendanceDto {
  @ApiProperty({ type: [AttendanceMarkDto], description: 'The whole roster; sending the same body again changes nothing' })
  @IsArray()
  @ArrayMinSize(1, { message: 'marks must hold at least one mark' })
  @ArrayMaxSize(60)
  @ArrayUnique((mark: AttendanceMarkDto | null | undefined) => mark?.enrollmentId, {
    message: 'marks must not mark the same enrollmentId twice',
  })
  @IsObject({ each: true, message: 'each mark must be an object' })
  @ValidateNested({ each: true })
  @Type(() => AttendanceMarkDto)
  marks: AttendanceMarkDto[];
}
