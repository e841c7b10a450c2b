import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PaginationQuery } from '../../common/http/pagination.dto';
import { Trim } from '../../common/http/validators';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { MAX_BULK_ACKNOWLEDGE } from './notice-inbox.service';

/** Filters of the inbox that may travel in an address: nothing here names a man. */
export class InboxQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ComplianceEventKind })
  @IsOptional()
  @IsEnum(ComplianceEventKind, { message: `kind must be one of: ${Object.values(ComplianceEventKind).join(', ')}` })
  kind?: ComplianceEventKind;

  @ApiPropertyOptional({ description: 'Only notices written at least this many days ago', minimum: 0, maximum: 3650 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanDays must be a whole number of days' })
  @Min(0)
  @Max(3650)
  olderThanDays?: number;
}

/** The inbox narrowed to one case: the number goes in the body (SECURITY.md: no PII in URLs). */
export class InboxLookupDto extends InboxQuery {
  @ApiProperty({ example: 'CR-26-1042' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'caseNumber is required' })
  @MaxLength(60)
  caseNumber: string;
}

export class AcknowledgeNoticesDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_BULK_ACKNOWLEDGE })
  @IsArray({ message: 'ids must be a list of notice ids' })
  @ArrayMinSize(1, { message: 'ids must name at least one notice' })
  @ArrayMaxSize(MAX_BULK_ACKNOWLEDGE, { message: `ids may name at most ${MAX_BULK_ACKNOWLEDGE} notices at once` })
  @ArrayUnique({ message: 'ids must not repeat a notice' })
  @IsUUID('all', { each: true, message: 'each of ids must be a notice id (UUID)' })
  ids: string[];
}
