import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, NotEquals, ValidateIf } from 'class-validator';
import { PAYMENT_METHODS, PaymentMethod } from './fee-entry.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** One entry never moves more than $100,000: a typo of three zeros is refused, not recorded. */
const MAX_CENTS = 10_000_000;

export class RecordPaymentDto {
  @ApiProperty({ description: 'Amount paid in cents (a positive whole number)', example: 2500 })
  @IsInt({ message: 'amountCents must be a whole number of cents' })
  @Min(1, { message: 'amountCents must be positive' })
  @Max(MAX_CENTS, { message: `amountCents must be at most ${MAX_CENTS}` })
  amountCents: number;

  @ApiProperty({ enum: PAYMENT_METHODS })
  @IsIn(PAYMENT_METHODS, { message: `method must be one of: ${PAYMENT_METHODS.join(', ')}` })
  method: PaymentMethod;

  @ApiPropertyOptional({ description: 'e.g. the check number; printed on the receipt' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class RecordAdjustmentDto {
  @ApiProperty({ description: 'Signed cents: positive adds to what he owes, negative takes away', example: -1500 })
  @IsInt({ message: 'amountCents must be a whole number of cents' })
  @NotEquals(0, { message: 'amountCents must not be zero' })
  @Min(-MAX_CENTS, { message: `amountCents must be at least -${MAX_CENTS}` })
  @Max(MAX_CENTS, { message: `amountCents must be at most ${MAX_CENTS}` })
  amountCents: number;

  @ApiProperty({ example: 'Charged twice for the 12 Nov session' })
  @Transform(trim)
  @IsString({ message: 'reason is required' })
  @IsNotEmpty({ message: 'reason is required' })
  @MaxLength(500)
  reason: string;
}

export class RecordWaiverDto {
  @ApiPropertyOptional({ description: 'Cents to waive; absent: the whole remaining balance' })
  @IsOptional()
  @IsInt({ message: 'amountCents must be a whole number of cents' })
  @Min(1, { message: 'amountCents must be positive' })
  @Max(MAX_CENTS, { message: `amountCents must be at most ${MAX_CENTS}` })
  amountCents?: number;

  @ApiProperty({ example: 'Unable to pay: unemployed since March (PC 1203.097(a)(5))' })
  @Transform(trim)
  @IsString({ message: 'reason is required' })
  @IsNotEmpty({ message: 'reason is required' })
  @MaxLength(500)
  reason: string;
}

export class IncomeBracketDto {
  @ApiPropertyOptional({ description: "The key of one of his policy's income brackets", example: 'A' })
  @ValidateIf((body: IncomeBracketDto) => body.incomeCents === undefined || body.bracket !== undefined)
  @IsString({ message: 'bracket is required (or incomeCents and period)' })
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: "bracket must be the key of one of the policy's brackets" })
  bracket?: string;

  @ApiPropertyOptional({ description: 'Or: his income in cents, to find the bracket by (only the bracket is kept)', example: 180000 })
  @IsOptional()
  @IsInt({ message: 'incomeCents must be a whole number of cents' })
  @Min(0, { message: 'incomeCents cannot be negative' })
  incomeCents?: number;

  @ApiPropertyOptional({ enum: ['month', 'year'], description: 'The period incomeCents is for' })
  @ValidateIf((body: IncomeBracketDto) => body.incomeCents !== undefined)
  @IsIn(['month', 'year'], { message: 'period must be one of: month, year' })
  period?: 'month' | 'year';
}
