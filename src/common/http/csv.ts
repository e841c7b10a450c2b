import { stringify } from 'csv-stringify';
import { Response } from 'express';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One column of an export: the key of the row it reads and the heading people see. */
export interface CsvColumn<Row> {
  key: keyof Row & string;
  header: string;
}

/**
 * A spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return before one) as
 * a formula: "=HYPERLINK(…)" typed into a name field would run on the coordinator's machine. A
 * leading apostrophe makes it text (OWASP "CSV injection"). Numbers are written as numbers and
 * never pass through here, so a negative figure stays a number.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** How each cell is written: text neutralised, instants as ISO-8601 UTC, yes/no for booleans, empty for null. */
const CAST = {
  string: (value: string) => neutraliseFormula(value),
  date: (value: Date) => value.toISOString(),
  boolean: (value: boolean) => (value ? 'yes' : 'no'),
  number: (value: number) => (Number.isFinite(value) ? String(value) : ''),
};

/** A CSV stringifier with the header row and the casts above (RFC 4180 quoting, CRLF line ends). */
export function csvStringifier<Row>(columns: readonly CsvColumn<Row>[]) {
  return stringify({
    header: true,
    columns: columns.map((column) => ({ key: column.key, header: column.header })),
    cast: CAST,
    record_delimiter: 'windows',
    bom: true,
  });
}

/** A file name safe in a Content-Disposition header: letters, digits, dot, dash and underscore only. */
export function csvFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe || 'export'}${safe.endsWith('.csv') ? '' : '.csv'}`;
}

/** Bytes gathered before a write to the socket: the stringifier emits one small chunk per row. */
const WRITE_CHUNK_BYTES = 64 * 1024;

/** Gathers small chunks into writes of about `size` bytes (50,000 rows are some 300 writes, not 50,000). */
function gather(size: number): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= size) {
        this.push(Buffer.concat(parts, length));
        parts = [];
        length = 0;
      }
      done();
    },
    flush(done) {
      if (length > 0) this.push(Buffer.concat(parts, length));
      done();
    },
  });
}

/**
 * Streams rows to the response as a CSV download, row by row with backpressure: rows may come
 * from an async generator (a database cursor), so memory stays flat however long the file is.
 * The headers go out before the first row; a failure after that cuts the download short (a
 * truncated file, never a file that looks complete), and the error is passed on to be logged.
 */
export async function streamCsv<Row>(
  res: Response,
  fileName: string,
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csvFileName(fileName)}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await pipeline(Readable.from(rows as AsyncIterable<Row>), csvStringifier(columns), gather(WRITE_CHUNK_BYTES), res);
  } catch (error) {
    if (!res.destroyed) res.destroy(error as Error);
    throw error;
  }
}
