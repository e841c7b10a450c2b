import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;
/** Far past any list we hold, and inside PostgreSQL's bigint OFFSET (2^63 and up was a database error). */
export const MAX_OFFSET = 1_000_000_000;

/** ?limit=&offset= on every list; lists always have a limit. */
export class PaginationQuery {
  @ApiPropertyOptional({ default: 50, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET, { message: `offset must be at most ${MAX_OFFSET}` })
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * A list's total: a page that is not full tells it itself (offset + what came back), so only a full
 * page, or an empty one past the start, asks `count` — one round trip fewer for most reads (a case
 * lookup, one man's notices).
 */
export async function pageTotal(returned: number, page: { limit: number; offset: number }, count: () => Promise<number>): Promise<number> {
  return returned < page.limit && (returned > 0 || page.offset === 0) ? page.offset + returned : count();
}
