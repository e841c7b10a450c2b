import { Response } from 'express';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { streamCsv } from '../../common/http/csv';
import { AccountabilityQuery } from './accountability-query.dto';
import { AccountabilityExportService, ExportTable } from './accountability-export.service';

/**
 * Answers one export as a CSV download, for the API and the page alike. The first row is read
 * before the headers go out, so a database that fails at the start is a clean error answer,
 * not a download cut off after its first byte.
 */
export async function sendAccountabilityCsv(
  exports: AccountabilityExportService,
  user: SignedInUser,
  query: AccountabilityQuery,
  table: ExportTable,
  res: Response,
): Promise<void> {
  const fileName = `accountability-${table}${query.from ? `-from-${query.from}` : ''}${query.to ? `-to-${query.to}` : ''}.csv`;
  if (table === 'violations' || table === 'unanswered') {
    const rows = exports.violationRows(user, query, { onlyUnanswered: table === 'unanswered', table });
    const first = await rows.next();
    async function* all() {
      if (first.done) return;
      yield first.value;
      yield* rows;
    }
    await streamCsv(res, fileName, exports.violationColumns(user), all());
    return;
  }
  const { columns, rows } = await exports.table(user, query, table);
  await streamCsv(res, fileName, columns, rows);
}
