import { stringify } from 'csv-stringify';
import { Response } from 'express';
import { usDateNumeric } from '../../common/dates';
import { Caseload, CaseloadOptions, CaseloadSort, CASELOAD_SORTS, Standing, STANDING_ORDER } from '../compliance/caseload.service';
import { eventLabel } from '../compliance/compliance-labels';
import { STANDING_LABELS } from './page-format';

export const CASELOAD_PAGE_SIZE = 50;
/** A search by name or number finds a handful; it is shown on one page (paging links would carry the name). */
export const SEARCH_LIMIT = 200;
const CSV_PAGE = 500;

/** What the officer asked to see: standing, order and page in the address; a search only in a POST body. */
export interface CaseloadView {
  standing?: Standing;
  sort: CaseloadSort;
  descending: boolean;
  offset: number;
  search: string;
}

export const CASELOAD_COLUMNS: ReadonlyArray<{ sort: CaseloadSort; label: string }> = [
  { sort: 'name', label: 'Name' },
  { sort: 'case', label: 'Case' },
  { sort: 'standing', label: 'Standing' },
  { sort: 'since', label: 'Why' },
  { sort: 'attended', label: 'Attended' },
  { sort: 'absences', label: 'Absences' },
  { sort: 'deadline', label: 'Next deadline' },
  { sort: 'notices', label: 'New notices' },
];

export function readCaseloadView(input: { standing?: string; sort?: string; dir?: string; offset?: string; search?: string }): CaseloadView {
  return {
    standing: (STANDING_ORDER as readonly string[]).includes(input.standing ?? '') ? (input.standing as Standing) : undefined,
    sort: (CASELOAD_SORTS as readonly string[]).includes(input.sort ?? '') ? (input.sort as CaseloadSort) : 'standing',
    descending: input.dir === 'desc',
    offset: input.offset && /^\d{1,6}$/.test(input.offset) ? Number(input.offset) : 0,
    search: (input.search ?? '').trim().slice(0, 80),
  };
}

export function caseloadOptions(view: CaseloadView): CaseloadOptions {
  return { standing: view.standing, sort: view.sort, descending: view.descending, search: view.search || undefined };
}

export function caseloadLink(view: CaseloadView): string {
  const params = new URLSearchParams();
  if (view.standing) params.set('standing', view.standing);
  if (view.sort !== 'standing') params.set('sort', view.sort);
  if (view.descending) params.set('dir', 'desc');
  if (view.offset) params.set('offset', String(view.offset));
  const query = params.toString();
  return `/caseload${query ? `?${query}` : ''}`;
}

/**
 * A spreadsheet opening the file runs a cell that starts with = + - @ (or a tab or carriage return
 * before one) as a formula: such a cell is written with a leading apostrophe, which shows it as text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const CSV_COLUMNS = ['Name', 'Case number', 'Standing', 'Why', 'Since', 'Sessions attended', 'Sessions required', 'Absences', 'Last attended', 'Next deadline', 'Deadline date', 'New notices'];

export function csvRecord(entry: Caseload['items'][number]): string[] {
  return [
    entry.participantName,
    entry.caseNumber,
    STANDING_LABELS[entry.standing] ?? entry.standing,
    entry.why ? eventLabel(entry.why.kind, entry.why.key) : '',
    entry.why ? usDateNumeric(entry.why.since) : '',
    String(entry.sessionsAttended),
    String(entry.sessionsRequired),
    String(entry.absences),
    entry.lastAttendedOn ? usDateNumeric(entry.lastAttendedOn) : '',
    entry.nextDeadline?.label ?? '',
    entry.nextDeadline ? usDateNumeric(entry.nextDeadline.date) : '',
    String(entry.unacknowledgedNotices),
  ].map(neutraliseFormula);
}

/** Writes the whole caseload as CSV to the response, a page of rows at a time (never all in memory). */
export async function streamCaseloadCsv(res: Response, page: (index: number, size: number) => Promise<Caseload>): Promise<void> {
  const csv = stringify({ header: true, columns: CSV_COLUMNS, bom: true });
  csv.pipe(res);
  for (let index = 0; ; index += 1) {
    const { items } = await page(index, CSV_PAGE);
    for (const entry of items) {
      // Respect the stream's pace: wait for it to drain when its buffer is full.
      if (!csv.write(csvRecord(entry))) await new Promise((resolve) => csv.once('drain', resolve));
    }
    if (items.length < CSV_PAGE) break;
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('error', reject);
  });
}
