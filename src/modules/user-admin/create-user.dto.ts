import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull } from '../../common/http/validators';
import { Role } from '../../common/auth/role.enum';

export { PASSWORD_MIN_LENGTH } from '../users/password-policy';
import { PASSWORD_MIN_LENGTH } from '../users/password-policy';

export class CreateUserDto {
  @ApiProperty({ example: 'po.garcia@probation.example.gov' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Maria Garcia' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role, { message: 'role must be one of: admin, facilitator, probation_officer, court_clerk, advocate' })
  role: Role;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId: string;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    writeOnly: true,
    description: 'Set by the admin (kept for scripts); without it the user is invited by e-mail and chooses his own',
  })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(200)
  // A JSON null passes @IsOptional: "no password" (an invitation), as when it is left out.
  password?: string | null;
}

/** What an admin may correct on a user; role and agency are fixed (make a new account instead). */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'false signs the user out everywhere and refuses sign-in' })
  @OptionalNotNull()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
