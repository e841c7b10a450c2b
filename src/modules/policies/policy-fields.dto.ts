import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { VICTIM_NOTIFICATION_EVENTS, VICTIM_NOTIFICATION_RULES, VictimNotificationEvent, VictimNotificationRule } from './policy.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** One income bracket of the sliding scale (see fee-schedule.ts). */
export class FeeBracketDto {
  @ApiProperty({ example: 'A' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'key must be 1 to 40 letters, digits, - or _' })
  key: string;

  @ApiProperty({ example: 'Up to $1,500 a month' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  label: string;

  @ApiProperty({ enum: ['month', 'year'] })
  @IsIn(['month', 'year'], { message: 'period must be one of: month, year' })
  period: 'month' | 'year';

  @ApiProperty({ nullable: true, description: 'Upper bound of income in cents (inclusive); null: and above' })
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'upToIncomeCents must be a whole number of cents or null' })
  @Min(0)
  upToIncomeCents: number | null;

  @ApiPropertyOptional({ description: 'Per-session fee in cents for this bracket' })
  @IsOptional()
  @IsInt({ message: 'sessionFeeCents must be a whole number of cents' })
  @Min(0)
  @Max(100_000)
  sessionFeeCents?: number;

  @ApiPropertyOptional({ description: 'Or: a percentage of the standard per-session fee' })
  @IsOptional()
  @IsInt({ message: 'percentOfSessionFee must be a whole number' })
  @Min(0)
  @Max(100)
  percentOfSessionFee?: number;
}

/** One level an intake assessment may choose: its own sessions and months; sessions stay weekly. */
export class PolicyLevelDto {
  @ApiProperty({ example: '3', description: 'Short and stable: "1".."4", "A"' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'key must be 1-20 letters, digits or dashes' })
  key: string;

  @ApiProperty({ example: 'Level 3' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ minimum: 1, maximum: 200, example: 52 })
  @IsInt()
  @Min(1)
  @Max(200)
  requiredSessions: number;

  @ApiProperty({ minimum: 1, maximum: 60, example: 12 })
  @IsInt()
  @Min(1)
  @Max(60)
  completeWithinMonths: number;
}

/** Every parameter of the spec's compliance-rules table, with bounds a real program stays within. */
export class PolicyFieldsDto {
  @ApiProperty({ example: 'Duluth 24-session program' })
  @Transform(trim)
  @IsString()
  @Length(3, 200)
  name: string;

  @ApiPropertyOptional({ description: 'Statute or standard the numbers come from' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  source?: string;

  @ApiProperty({ minimum: 1, maximum: 200, example: 24 })
  @IsInt()
  @Min(1)
  @Max(200)
  requiredSessions: number;

  @ApiProperty({ minimum: 30, maximum: 480, example: 90 })
  @IsInt()
  @Min(30)
  @Max(480)
  sessionMinutes: number;

  @ApiProperty({ minimum: 1, maximum: 365, example: 14 })
  @IsInt()
  @Min(1)
  @Max(365)
  enrollWithinDays: number;

  @ApiProperty({ minimum: 1, maximum: 60, example: 9 })
  @IsInt()
  @Min(1)
  @Max(60)
  completeWithinMonths: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 3, description: 'excused + unexcused, whole program' })
  @IsInt()
  @Min(0)
  @Max(100)
  maxAbsences: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 2 })
  @IsInt()
  @Min(0)
  @Max(100)
  maxUnexcusedAbsences: number;

  @ApiProperty({ minimum: 1, maximum: 100, example: 2 })
  @IsInt()
  @Min(1)
  @Max(100)
  maxConsecutiveAbsences: number;

  @ApiProperty({ minimum: 1, maximum: 365, example: 14 })
  @IsInt()
  @Min(1)
  @Max(365)
  noAttendanceDays: number;

  @ApiProperty({ minimum: 7, maximum: 366, example: 30 })
  @IsInt()
  @Min(7)
  @Max(366)
  progressReportEveryDays: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 28, description: 'Monthly reports due on this day instead of every N days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(28)
  progressReportDayOfMonth?: number;

  @ApiProperty({ minimum: 0, maximum: 30, example: 2, description: '0 = immediately' })
  @IsInt()
  @Min(0)
  @Max(30)
  violationReportBusinessDays: number;

  @ApiProperty({ example: false })
  @IsBoolean()
  feesRequired: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  leftEarlyCounts?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100000,
    description: 'Fee per session attended, in cents; a new version keeps the last one when absent',
  })
  @IsOptional()
  @IsInt({ message: 'sessionFeeCents must be a whole number of cents' })
  @Min(0)
  @Max(100_000)
  sessionFeeCents?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000000, description: 'Intake fee in cents, charged at his first session attended' })
  @IsOptional()
  @IsInt({ message: 'intakeFeeCents must be a whole number of cents' })
  @Min(0)
  @Max(1_000_000)
  intakeFeeCents?: number;

  @ApiPropertyOptional({ nullable: true, description: 'The most he can be charged in all, in cents; null: no cap' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'feeTotalCapCents must be a whole number of cents or null' })
  @Min(0)
  @Max(10_000_000)
  feeTotalCapCents?: number | null;

  @ApiPropertyOptional({ type: [FeeBracketDto], description: 'The sliding scale by income' })
  @IsOptional()
  @IsArray({ message: 'feeBrackets must be a list' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FeeBracketDto)
  feeBrackets?: FeeBracketDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: 30, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  escalateAfterBusinessDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 120,
    default: 10,
    description: 'Business days for probation to record a response to a violation (then a reminder; after twice as long, an escalation)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  probationResponseBusinessDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 120,
    default: 22,
    description: 'Business days for the court to record a response (a hearing set or held)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  courtResponseBusinessDays?: number;

  @ApiPropertyOptional({
    enum: VICTIM_NOTIFICATION_RULES,
    default: 'none',
    description: 'Whether the protected party is told (through an advocate) when he completes or is terminated',
  })
  @IsOptional()
  @IsIn(VICTIM_NOTIFICATION_RULES, { message: `victimNotification must be one of: ${VICTIM_NOTIFICATION_RULES.join(', ')}` })
  victimNotification?: VictimNotificationRule;

  @ApiPropertyOptional({
    enum: VICTIM_NOTIFICATION_EVENTS,
    isArray: true,
    default: ['completed', 'terminated'],
    description: 'Which of his steps the victim-notification rule covers',
  })
  @IsOptional()
  @IsArray({ message: 'victimNotificationEvents must be a list' })
  @ArrayUnique({ message: 'victimNotificationEvents must not list an event twice' })
  @IsIn(VICTIM_NOTIFICATION_EVENTS, {
    each: true,
    message: `victimNotificationEvents may hold only: ${VICTIM_NOTIFICATION_EVENTS.join(', ')}`,
  })
  victimNotificationEvents?: VictimNotificationEvent[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 30,
    nullable: true,
    description: 'Business days within which the protected party is to be told of his enrollment (Florida 65H-2.016: 3); none when absent',
  })
  @IsOptional()
  @IsInt({ message: 'victimNoticeEnrollmentBusinessDays must be a whole number of business days' })
  @Min(1)
  @Max(30)
  victimNoticeEnrollmentBusinessDays?: number | null;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    nullable: true,
    description: 'Hours within which she is to be told of his completion or termination (Florida 65H-2.016: 24); none when absent',
  })
  @IsOptional()
  @IsInt({ message: 'victimNoticeDischargeHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  victimNoticeDischargeHours?: number | null;

  @ApiPropertyOptional({
    type: [PolicyLevelDto],
    default: [],
    description: 'Levels an intake assessment chooses from; none = one fixed length',
  })
  @IsOptional()
  @IsArray({ message: 'levels must be a list' })
  @ArrayMaxSize(12)
  @ArrayUnique((level: PolicyLevelDto | null | undefined) => level?.key, { message: 'levels must not use a key twice' })
  @IsObject({ each: true, message: 'each level must be an object' })
  @ValidateNested({ each: true })
  @Type(() => PolicyLevelDto)
  levels?: PolicyLevelDto[];

  @ApiPropertyOptional({ type: [String], default: [], description: 'The factors its intake assessment weighs, by name' })
  @IsOptional()
  @IsArray({ message: 'assessmentFactors must be a list' })
  @ArrayMaxSize(30)
  @ArrayUnique({ message: 'assessmentFactors must not name a factor twice' })
  @IsString({ each: true, message: 'each assessment factor must be text' })
  @Length(2, 120, { each: true, message: 'each assessment factor must be 2-120 characters' })
  assessmentFactors?: string[];

  @ApiPropertyOptional({ default: false, description: 'Whether program admins may read protected-party details (advocates always may)' })
  @IsOptional()
  @IsBoolean()
  protectedPartyAdminAccess?: boolean;
}

export class CreatePolicyDto extends PolicyFieldsDto {
  @ApiPropertyOptional({ description: 'Stable identity across versions; derived from the name when absent', example: 'duluth-24' })
  @IsOptional()
  @IsString()
  @Length(2, 80)
  key?: string;
}
