import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, Trim } from '../../common/http/validators';
import { languageChoiceMessage, PROGRAM_LANGUAGE_CODES } from '../participants/program-languages';

export class ParticipantInputDto {
  @ApiProperty({ example: 'James' })
  @Trim()
  @IsString()
  @Length(1, 100)
  firstName: string;

  @ApiProperty({ example: 'Whitfield' })
  @Trim()
  @IsString()
  @Length(1, 100)
  lastName: string;

  @ApiProperty({ example: '1984-03-17' })
  @IsCalendarDate()
  dateOfBirth: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'participant.email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: '+1 218 555 0142' })
  @IsOptional()
  @Trim()
  @Matches(/^[0-9+() .-]{7,40}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({
    example: 'en',
    enum: PROGRAM_LANGUAGE_CODES,
    description: 'Preferred language, from the program list (the groups are held in the same)',
  })
  @IsOptional()
  @IsIn(PROGRAM_LANGUAGE_CODES as string[], { message: languageChoiceMessage('participant.language') })
  language?: string;
}

export class CreateReferralDto {
  @ApiProperty({ type: ParticipantInputDto })
  @IsDefined()
  @IsObject({ message: 'participant must be an object' })
  @ValidateNested()
  @Type(() => ParticipantInputDto)
  participant: ParticipantInputDto;

  @ApiProperty({ example: '69DU-CR-26-1432' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9 ./_-]{1,58}[A-Z0-9]$/, { message: 'caseNumber must be 3-60 letters, digits and - . / _' })
  caseNumber: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'courtAgencyId must be a UUID' })
  courtAgencyId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'probationOfficerId must be a UUID' })
  probationOfficerId: string;

  @ApiProperty({ format: 'uuid', description: 'The policy version the court ordered under' })
  @IsUUID('all', { message: 'policyId must be a UUID' })
  policyId: string;

  @ApiProperty({ example: '2026-11-02' })
  @IsCalendarDate()
  orderedOn: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Three unexcused absences; discharged per program rules' })
  @Trim()
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class FeesDto {
  @ApiProperty()
  @IsBoolean({ message: 'paid must be true or false' })
  paid: boolean;
}
