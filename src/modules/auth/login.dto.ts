import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../users/password-policy';

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.throughline.test' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({
    description: 'The 6-digit code of the authenticator app, or a recovery code, for a user with a second factor',
    writeOnly: true,
  })
  @IsOptional()
  @IsString({ message: 'code must be a string' })
  @MaxLength(40)
  code?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1, { message: 'currentPassword is required' })
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ writeOnly: true, minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(200)
  newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'po.garcia@probation.example.gov' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;
}

/** The form behind an invitation's or a reset's link: the token from the link and the password chosen. */
export class LinkPasswordDto {
  @ApiProperty({ description: 'The token after # in the e-mailed link', writeOnly: true })
  @IsString({ message: 'token must be the code from the link' })
  @MinLength(1, { message: 'token is required: open the link from the e-mail' })
  @MaxLength(100)
  token: string;

  @ApiProperty({ writeOnly: true, minLength: PASSWORD_MIN_LENGTH })
  @IsString({ message: 'password must be a string' })
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class SecondFactorCodeDto {
  @ApiProperty({ example: '123456', description: 'The 6 digits the authenticator app shows now' })
  @IsString({ message: 'code must be a string' })
  @MinLength(1, { message: 'code is required' })
  @MaxLength(40)
  code: string;
}
