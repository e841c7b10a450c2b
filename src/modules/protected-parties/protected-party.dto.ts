import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf, IsBoolean } from 'class-validator';
import { NotificationWish } from './protected-party.entity';
import { VictimNotificationChannel } from './victim-notification.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const CONTACT_CHANNELS: VictimNotificationChannel[] = ['email', 'phone', 'mail', 'in_person'];

/** What the advocate knows of her. Every field but the wish about notification is sealed at rest. */
export class CreateProtectedPartyDto {
  @ApiProperty({ example: 'Jane Roe' })
  @Transform(trim)
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name: string;

  @ApiProperty({ example: 'former partner' })
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'relationship must be 1 to 100 characters' })
  relationship: string;

  @ApiPropertyOptional({ example: '+1 218 555 0100', nullable: true })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[+()0-9 .-]{7,30}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string;

  @ApiPropertyOptional({ example: 'jane@example.org', nullable: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'A safe mailing address (may be a confidential address program box)', nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ description: 'What staff reaching her must know: safe times, who may answer, what not to say', nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  safetyNotes?: string;

  @ApiProperty({ enum: CONTACT_CHANNELS, description: 'How she prefers to be reached' })
  @IsIn(CONTACT_CHANNELS, { message: `preferredChannel must be one of: ${CONTACT_CHANNELS.join(', ')}` })
  preferredChannel: VictimNotificationChannel;

  @ApiProperty({ enum: NotificationWish, description: 'Whether she wants to hear when he completes or is terminated' })
  @IsEnum(NotificationWish, { message: `notificationWish must be one of: ${Object.values(NotificationWish).join(', ')}` })
  notificationWish: NotificationWish;

  @ApiPropertyOptional({ description: 'She asks that the program send him no reminders or letters of its own' })
  @IsOptional()
  @IsBoolean({ message: 'noProgramContact must be true or false' })
  noProgramContact?: boolean;
}

/**
 * A change: any field may be left out; optional ones are cleared with null, but the required ones
 * (name, relationship, preferredChannel, notificationWish) cannot be (null is refused, 400).
 */
export class UpdateProtectedPartyDto extends PartialType(
  OmitType(CreateProtectedPartyDto, ['name', 'relationship', 'preferredChannel', 'notificationWish'] as const),
) {
  @ApiPropertyOptional()
  @ValidateIf((_object, value) => value !== undefined)
  @Transform(trim)
  @IsString({ message: 'name must be 1 to 200 characters' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional()
  @ValidateIf((_object, value) => value !== undefined)
  @Transform(trim)
  @IsString({ message: 'relationship must be 1 to 100 characters' })
  @Length(1, 100, { message: 'relationship must be 1 to 100 characters' })
  relationship?: string;

  @ApiPropertyOptional({ enum: CONTACT_CHANNELS })
  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(CONTACT_CHANNELS, { message: `preferredChannel must be one of: ${CONTACT_CHANNELS.join(', ')}` })
  preferredChannel?: VictimNotificationChannel;

  @ApiPropertyOptional({ enum: NotificationWish })
  @ValidateIf((_object, value) => value !== undefined)
  @IsEnum(NotificationWish, { message: `notificationWish must be one of: ${Object.values(NotificationWish).join(', ')}` })
  notificationWish?: NotificationWish;

  @ApiPropertyOptional({ description: 'She asks that the program send him no reminders or letters of its own' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsBoolean({ message: 'noProgramContact must be true or false' })
  override noProgramContact?: boolean;
}

export class SendVictimNotificationDto {
  @ApiPropertyOptional({ description: 'A few words from the advocate, added to the standard message' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class RecordVictimNotificationDto {
  @ApiProperty({ enum: ['phone', 'in_person', 'mail'] })
  @IsIn(['phone', 'in_person', 'mail'], { message: 'channel must be one of: phone, in_person, mail' })
  channel: Exclude<VictimNotificationChannel, 'email'>;

  @ApiProperty({ description: 'What was said and when; sealed at rest' })
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'note must be 1 to 2000 characters' })
  note: string;
}

export class SkipVictimNotificationDto {
  @ApiProperty({ description: 'Why she is not told (e.g. she declined on the phone); sealed at rest' })
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'note must be 1 to 2000 characters' })
  note: string;
}

export class AdvocateLookupDto {
  @ApiProperty({ example: '69DU-CR-26-1407' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Length(1, 60, { message: 'caseNumber must be 1 to 60 characters' })
  caseNumber: string;
}
