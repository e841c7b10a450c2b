import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate, Trim } from '../../common/http/validators';

export class CloseDayDto {
  @ApiProperty({ example: 'Staff training day' })
  @Trim()
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name is required: say why the program is closed, e.g. Thanksgiving' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;
}

export class HolidayDateParam {
  @ApiProperty({ example: '2026-11-26' })
  @IsCalendarDate({ message: 'date must be a date written YYYY-MM-DD' })
  date: string;
}

export class ListHolidaysQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsCalendarDate({ message: 'from must be a date written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31' })
  @IsOptional()
  @IsCalendarDate({ message: 'to must be a date written YYYY-MM-DD' })
  to?: string;
}
