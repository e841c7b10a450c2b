import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { OptionalNotNull } from '../../common/http/validators';
import { AgencyKind } from './agency.entity';

export class CreateAgencyDto {
  @ApiProperty({ example: 'Arrowhead County District Court' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ enum: AgencyKind })
  @IsEnum(AgencyKind, { message: 'kind must be one of: court, probation, program, advocacy' })
  kind: AgencyKind;

  @ApiPropertyOptional({ example: 'notices@court.example.gov' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'noticeEmail must be an e-mail address' })
  noticeEmail?: string;
}

/** What an admin may correct on an agency; its kind only while nobody and nothing depends on it. */
export class UpdateAgencyDto {
  @ApiPropertyOptional({ enum: AgencyKind, description: 'Refused once the agency has users, referrals or notices' })
  @OptionalNotNull()
  @IsEnum(AgencyKind, { message: 'kind must be one of: court, probation, program, advocacy' })
  kind?: AgencyKind;

  @ApiPropertyOptional({ example: 'Arrowhead County District Court' })
  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional({
    example: 'notices@court.example.gov',
    nullable: true,
    description: 'null clears it; courts and probation departments must keep one',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'noticeEmail must be an e-mail address' })
  noticeEmail?: string | null;
}
