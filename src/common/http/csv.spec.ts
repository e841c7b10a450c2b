import { PassThrough } from 'node:stream';
import { Response } from 'express';
import { csvFileName, neutraliseFormula, streamCsv } from './csv';

/** A response that records its headers and body. */
function fakeResponse(): { res: Response; headers: Record<string, string>; body: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const headers: Record<string, string> = {};
  const res = Object.assign(stream, {
    status: () => res,
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
      return res;
    },
  }) as unknown as Response;
  return { res, headers, body: () => Buffer.concat(chunks).toString('utf8') };
}

describe('CSV downloads', () => {
  it('makes text that a spreadsheet would run as a formula plain text, and leaves other text alone', () => {
    for (const cell of ['=1+1', '+1', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Duluth', '1-2', 'a=b', '', ' =1']) expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('names the file safely', () => {
    expect(csvFileName('accountability-violations-from-2026-10-01')).toBe('accountability-violations-from-2026-10-01.csv');
    expect(csvFileName('a"b\r\nc.csv')).toBe('a-b-c.csv');
    expect(csvFileName('""')).toBe('export.csv');
  });

  it('streams rows from an async source with a header, quoting, neutralised formulas, ISO instants, yes/no and numbers as numbers', async () => {
    const { res, headers, body } = fakeResponse();
    // eslint-disable-next-line @typescript-eslint/require-await -- an async source, as a database cursor is
    async function* rows() {
      yield { name: '=HYPERLINK("http://x")', at: new Date('2026-10-05T15:00:00Z'), ok: true, figure: -1.5, missing: null };
      yield { name: 'Smith, "Bob"', at: null, ok: false, figure: 3, missing: null };
    }
    const columns = [
      { key: 'name' as const, header: 'name' },
      { key: 'at' as const, header: 'at' },
      { key: 'ok' as const, header: 'ok' },
      { key: 'figure' as const, header: 'figure' },
      { key: 'missing' as const, header: 'missing' },
    ];
    await streamCsv(res, 'test', columns, rows());
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers['content-disposition']).toBe('attachment; filename="test.csv"');
    expect(body()).toBe(
      '\uFEFFname,at,ok,figure,missing\r\n"\'=HYPERLINK(""http://x"")",2026-10-05T15:00:00.000Z,yes,-1.5,\r\n"Smith, ""Bob""",,no,3,\r\n',
    );
  });

  it('cuts the download short when the source fails midway, and says so to the caller', async () => {
    const { res, body } = fakeResponse();
    // eslint-disable-next-line @typescript-eslint/require-await -- an async source, as a database cursor is
    async function* rows() {
      yield { name: 'first' };
      throw new Error('the database went away');
    }
    await expect(streamCsv(res, 'x', [{ key: 'name' as const, header: 'name' }], rows())).rejects.toThrow('the database went away');
    expect(body()).not.toContain('first\r\n\r\n');
    expect((res as unknown as PassThrough).destroyed).toBe(true);
  });
});
