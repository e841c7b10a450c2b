import { types } from 'pg';

/**
 * An instant (timestamptz) the server wrote as text inside json (`created_at::text`), parsed by the
 * driver's own parser of a timestamptz column: the same Date, to the millisecond, as reading the
 * column itself answers. For reads that carry rows of another table as json beside their own.
 */
export const parseInstant = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;
