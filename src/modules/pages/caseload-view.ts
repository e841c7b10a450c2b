import { CsvColumn, streamCsv } from '../../common/http/csv';
import { Response } from 'express';
import { usDateNumeric } from '../../common/dates';
import { Caseload, CaseloadOptions, CaseloadSort, CASELOAD_SORTS, Standing, STANDING_ORDER } from '../compliance/caseload.service';
import { eventLabel } from '../../common/program/labels';
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

export function readCaseloadView(input: {
  standing?: string;
  sort?: string;
  dir?: string;
  offset?: string;
  search?: string;
}): CaseloadView {
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

interface CaseloadCsvRow {
  name: string;
  caseNumber: string;
  standing: string;
  why: string;
  since: string;
  attended: number;
  required: number;
  absences: number;
  lastAttended: string;
  nextDeadline: string;
  deadlineDate: string;
  newNotices: number;
}

/** The export's columns, in the shared CSV writer's terms (formula cells neutralised there). */
export const CSV_COLUMNS: CsvColumn<CaseloadCsvRow>[] = [
  { key: 'name', header: 'Name' },
  { key: 'caseNumber', header: 'Case number' },
  { key: 'standing', header: 'Standing' },
  { key: 'why', header: 'Why' },
  { key: 'since', header: 'Since' },
  { key: 'attended', header: 'Sessions attended' },
  { key: 'required', header: 'Sessions required' },
  { key: 'absences', header: 'Absences' },
  { key: 'lastAttended', header: 'Last attended' },
  { key: 'nextDeadline', header: 'Next deadline' },
  { key: 'deadlineDate', header: 'Deadline date' },
  { key: 'newNotices', header: 'New notices' },
];

export function csvRecord(entry: Caseload['items'][number]): CaseloadCsvRow {
  return {
    name: entry.participantName,
    caseNumber: entry.caseNumber,
    standing: STANDING_LABELS[entry.standing] ?? entry.standing,
    why: entry.why ? eventLabel(entry.why.kind, entry.why.key) : '',
    since: entry.why ? usDateNumeric(entry.why.since) : '',
    attended: entry.sessionsAttended,
    required: entry.sessionsRequired,
    absences: entry.absences,
    lastAttended: entry.lastAttendedOn ? usDateNumeric(entry.lastAttendedOn) : '',
    nextDeadline: entry.nextDeadline?.label ?? '',
    deadlineDate: entry.nextDeadline ? usDateNumeric(entry.nextDeadline.date) : '',
    newNotices: entry.unacknowledgedNotices,
  };
}

/** The whole caseload, a page of rows at a time (never all in memory). */
async function* caseloadRows(page: (index: number, size: number) => Promise<Caseload>): AsyncGenerator<CaseloadCsvRow> {
  for (let index = 0; ; index += 1) {
    const { items } = await page(index, CSV_PAGE);
    for (const entry of items) yield csvRecord(entry);
    if (items.length < CSV_PAGE) break;
  }
}

/** Writes the whole caseload as a CSV download through the shared streaming writer. */
export function streamCaseloadCsv(
  res: Response,
  fileName: string,
  page: (index: number, size: number) => Promise<Caseload>,
): Promise<void> {
  return streamCsv(res, fileName, CSV_COLUMNS, caseloadRows(page));
}
