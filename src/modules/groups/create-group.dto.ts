import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsCalendarDate, IsClockTime, Stacked, Trim } from '../../common/http/validators';
import { languageChoiceMessage, PROGRAM_LANGUAGE_CODES } from '../participants/program-languages';

// A group's name, length, size, place and facilitators are checked alike when it is made and when it is edited.
const GroupName = () => Stacked(ApiProperty({ example: 'Tuesday evening men’s group' }), Trim(), IsString(), Length(2, 120));
const MeetingLength = () => Stacked(ApiProperty({ minimum: 30, maximum: 480, example: 90 }), IsInt(), Min(30), Max(480));
const GroupCapacity = () => Stacked(IsInt(), Min(1), Max(30));
const MeetingPlace = () => Stacked(ApiProperty({ example: 'Room 2, 202 W 2nd St' }), Trim(), IsString(), Length(2, 200));
const Facilitators = () =>
  Stacked(
    IsArray(),
    ArrayMinSize(1, { message: 'facilitatorIds must name at least one facilitator' }),
    ArrayMaxSize(6),
    ArrayUnique(),
    IsUUID('all', { each: true, message: 'each facilitatorId must be a UUID' }),
  );

export class CreateGroupDto {
  @GroupName()
  name: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'curriculumId must be a UUID' })
  curriculumId: string;

  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday', example: 2 })
  @IsInt({ message: 'weekday must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'weekday must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'weekday must be an integer from 1 (Monday) to 7 (Sunday)' })
  weekday: number;

  @ApiProperty({ example: '18:30' })
  @IsClockTime()
  startTime: string;

  @MeetingLength()
  durationMinutes: number;

  @ApiProperty({ minimum: 1, maximum: 30, example: 12 })
  @GroupCapacity()
  capacity: number;

  @MeetingPlace()
  location: string;

  @ApiProperty({ example: 'en', enum: PROGRAM_LANGUAGE_CODES })
  @IsIn(PROGRAM_LANGUAGE_CODES as string[], { message: languageChoiceMessage('language') })
  language: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @Facilitators()
  facilitatorIds: string[];

  @ApiPropertyOptional({ description: 'First date the schedule may fall on; defaults to today', example: '2026-12-01' })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;
}

export class OneOffSessionDto {
  @ApiProperty({ example: '2026-11-20', description: 'May be in the past when recorded afterwards' })
  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ example: '18:30', description: 'Defaults to the group’s start time' })
  @IsOptional()
  @IsClockTime()
  startTime?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The unit it covers, e.g. the one being made up' })
  @IsOptional()
  @IsUUID('all')
  curriculumUnitId?: string;
}

export class CancelSessionDto {
  @ApiProperty({ example: 'Facilitator ill; building closed' })
  @Trim()
  @IsString()
  @Length(3, 500)
  reason: string;
}

export class SessionRangeQuery {
  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/**
 * What an admin may change on a meeting group: its time, place, size and who runs it. The day of
 * the week and the curriculum are the schedule itself (a new group is made for those).
 */
export class UpdateGroupDto {
  @GroupName()
  name: string;

  @ApiProperty({ example: '18:30', description: 'Also moves the group’s future scheduled sessions that kept the old time' })
  @IsClockTime()
  startTime: string;

  @MeetingLength()
  durationMinutes: number;

  @ApiProperty({ minimum: 1, maximum: 30, example: 12, description: 'Not below the number of men enrolled now' })
  @GroupCapacity()
  capacity: number;

  @MeetingPlace()
  location: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'One or more: a co-facilitator too' })
  @Facilitators()
  facilitatorIds: string[];
}
