import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, Trim } from '../../common/http/validators';

/** One of the policy's factors: yes / no, a short note, or both. */
export class AssessmentFactorDto {
  @ApiProperty({ example: 'Legal history' })
  @Trim()
  @IsString({ message: 'factor must be text' })
  @Length(2, 120, { message: 'factor must be 2-120 characters' })
  factor: string;

  @ApiPropertyOptional({ description: 'Whether the factor is present; leave out where the note says it' })
  @IsOptional()
  @IsBoolean({ message: 'present must be true or false' })
  present?: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsString({ message: 'note must be text' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

/** An intake assessment: the factors, who assessed and when, the level chosen and why. */
export class RecordAssessmentDto {
  @ApiProperty({ example: '3', description: "The level's key in the policy's list" })
  @Trim()
  @IsString({ message: 'levelKey must be text' })
  @IsNotEmpty({ message: 'levelKey is required: the level chosen from the policy' })
  @MaxLength(20)
  levelKey: string;

  @ApiProperty({ example: '2026-12-01' })
  @IsCalendarDate({ message: 'assessedOn must be a date written YYYY-MM-DD' })
  assessedOn: string;

  @ApiProperty({ example: 'J. Ortiz, MSW (staff level)', description: 'Who assessed him' })
  @Trim()
  @IsString({ message: 'assessedBy must be text' })
  @Length(2, 200, { message: 'assessedBy must be 2-200 characters: the name of who assessed him' })
  assessedBy: string;

  @ApiProperty({ maxLength: 2000, description: 'Why this level: probation and the court read it' })
  @Trim()
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'reason is required: why this level' })
  @MaxLength(2000, { message: 'reason must be at most 2000 characters' })
  reason: string;

  @ApiProperty({ type: [AssessmentFactorDto], description: "Each of the policy's factors, once" })
  @IsArray({ message: 'factors must be a list' })
  @ArrayMaxSize(30)
  @ArrayUnique((answer: AssessmentFactorDto | null | undefined) => answer?.factor, { message: 'factors must not answer a factor twice' })
  @IsObject({ each: true, message: 'each factor must be an object' })
  @ValidateNested({ each: true })
  @Type(() => AssessmentFactorDto)
  factors: AssessmentFactorDto[];
}
