import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateBy } from 'class-validator';
import { IsCalendarDate, Trim } from '../../common/http/validators';
import { daysBetween, isIsoDate } from '../../common/dates';

/** The longest period one summary covers: five years of a statewide registry is still one answer. */
export const MAX_PERIOD_DAYS = 5 * 366;

/** Both ends are real dates (each end's own message says so otherwise). */
function bothDates(query: unknown, to: unknown): boolean {
  const from = (query as AccountabilityQuery | undefined)?.from;
  return typeof from === 'string' && typeof to === 'string' && isIsoDate(from) && isIsoDate(to);
}

/**
 * The accountability view's filters: a period of the program's calendar and who it is about.
 * Ids and a language code only: nothing here names a man, so it may travel in the address.
 */
export class AccountabilityQuery {
  @ApiPropertyOptional({
    description: 'First day of the period (program time zone); default: the first day of the month eleven months before `to`',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last day of the period, inclusive; default: today', example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDate()
  @ValidateBy({
    name: 'periodInOrder',
    validator: {
      validate: (to: unknown, args) =>
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- bothDates() found both dates
        !bothDates(args?.object, to) || daysBetween((args!.object as AccountabilityQuery).from!, to as string) >= 0,
      defaultMessage: () => 'to must be on or after from',
    },
  })
  @ValidateBy({
    name: 'periodLength',
    validator: {
      validate: (to: unknown, args) =>
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- bothDates() found both dates
        !bothDates(args?.object, to) || daysBetween((args!.object as AccountabilityQuery).from!, to as string) <= MAX_PERIOD_DAYS,
      defaultMessage: () => `the period may be at most ${MAX_PERIOD_DAYS} days (five years)`,
    },
  })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The court the orders came from' })
  @IsOptional()
  @IsUUID('all', { message: 'courtId must be an agency id (UUID)' })
  courtId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The probation department of the assigned officer' })
  @IsOptional()
  @IsUUID('all', { message: 'probationAgencyId must be an agency id (UUID)' })
  probationAgencyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A policy; every version of it counts' })
  @IsOptional()
  @IsUUID('all', { message: 'policyId must be a policy id (UUID)' })
  policyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'His group: the group of his latest enrollment' })
  @IsOptional()
  @IsUUID('all', { message: 'groupId must be a group id (UUID)' })
  groupId?: string;

  @ApiPropertyOptional({ description: 'The participant’s preferred language, as recorded (e.g. en, es)', example: 'es' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  @Matches(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: 'language must be a language code such as en or es' })
  language?: string;
}
