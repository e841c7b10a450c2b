import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { IsCalendarDate, Trim } from '../../common/http/validators';
import { HearingOutcome, ResponseKind } from './response-kind.enum';

const NEEDS_DATE = [ResponseKind.ViolationFiled, ResponseKind.HearingSet];
const NEEDS_DETAILS = [ResponseKind.SanctionImposed, ResponseKind.NoAction];

/** The field belongs to these kinds only: an outcome on a warning is a mistake, not a detail. */
function OnlyForKinds(kinds: readonly ResponseKind[], message: string) {
  return ValidateBy({
    name: 'onlyForKinds',
    validator: {
      validate: (value: unknown, args) => value === undefined || kinds.includes((args?.object as RecordResponseDto).kind),
      defaultMessage: () => message,
    },
  });
}

/**
 * One response. What each kind needs: violation_filed the date filed with the court, hearing_set
 * the hearing's date, hearing_held its outcome, sanction_imposed the sanction in words, no_action
 * the reason (doing nothing is a decision someone must own).
 */
export class RecordResponseDto {
  @ApiProperty({ enum: ResponseKind })
  @IsEnum(ResponseKind, { message: `kind must be one of: ${Object.values(ResponseKind).join(', ')}` })
  kind: ResponseKind;

  @ApiPropertyOptional({
    example: '2026-12-09',
    description: 'violation_filed: the date filed; hearing_set: the hearing; others: optional',
  })
  @ValidateIf((dto: RecordResponseDto) => NEEDS_DATE.includes(dto.kind) || (dto.date !== undefined && dto.date !== ''))
  @IsCalendarDate({ message: 'date must be a date written YYYY-MM-DD (required for violation_filed and hearing_set)' })
  date?: string;

  @ApiPropertyOptional({ enum: HearingOutcome, description: 'hearing_held only: what the court decided' })
  @ValidateIf((dto: RecordResponseDto) => dto.kind === ResponseKind.HearingHeld || dto.outcome !== undefined)
  @OnlyForKinds([ResponseKind.HearingHeld], 'outcome is given for hearing_held only')
  @IsEnum(HearingOutcome, { message: `outcome must be one of: ${Object.values(HearingOutcome).join(', ')} (required for hearing_held)` })
  outcome?: HearingOutcome;

  @ApiPropertyOptional({ maxLength: 2000, description: 'sanction_imposed: the sanction; no_action: the reason; others: an optional note' })
  @ValidateIf((dto: RecordResponseDto) => NEEDS_DETAILS.includes(dto.kind) || dto.details !== undefined)
  @Trim()
  @IsString({ message: 'details must be text' })
  @IsNotEmpty({ message: 'details are required for sanction_imposed (the sanction) and no_action (the reason)' })
  @MaxLength(2000)
  details?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The earlier response of your agency to this event that this one corrects' })
  @IsOptional()
  @IsUUID('all', { message: 'supersedesId must be a response id (UUID)' })
  supersedesId?: string;
}
