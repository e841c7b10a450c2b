import { EntityManager } from 'typeorm';
import { FeeEntryKind, PaymentMethod } from './fee-entry.entity';

/** One ledger line as the API and the page show it. */
export interface FeeEntryView {
  id: string;
  kind: FeeEntryKind;
  amountCents: number;
  chargeFor: 'intake' | 'session' | null;
  sessionId: string | null;
  sessionDate: string | null;
  method: PaymentMethod | null;
  receiptNumber: number | null;
  reason: string | null;
  recordedBy: string | null;
  createdAt: Date;
}

interface FeeEntryRow {
  id: string;
  kind: FeeEntryKind;
  amount_cents: number;
  charge_for: 'intake' | 'session' | null;
  session_id: string | null;
  session_date: string | null;
  method: PaymentMethod | null;
  receipt_number: number | null;
  reason: string | null;
  recorded_by: string | null;
  created_at: Date;
}

/** A referral's ledger is a few hundred lines at most (a session a week for 18 months, and payments). */
export const LEDGER_LIMIT = 1000;

function toView(row: FeeEntryRow): FeeEntryView {
  return {
    id: row.id,
    kind: row.kind,
    amountCents: row.amount_cents,
    chargeFor: row.charge_for,
    sessionId: row.session_id,
    sessionDate: row.session_date,
    method: row.method,
    receiptNumber: row.receipt_number,
    reason: row.reason,
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
  };
}

const ENTRY_SELECT = `
  SELECT f.id, f.kind, f.amount_cents, f.charge_for, f.session_id, s.date::text AS session_date, f.method, f.receipt_number,
         f.reason, u.name AS recorded_by, f.created_at
    FROM fee_entries f
    LEFT JOIN sessions s ON s.id = f.session_id
    LEFT JOIN users u ON u.id = f.recorded_by_id`;

/** The ledger's order, oldest first, over entries under `alias` (the table's, or a subquery's of ENTRY_SELECT). */
const ledgerOrder = (alias: string) => `${alias}.created_at, (${alias}.charge_for = 'intake') DESC, ${alias}.kind, ${alias}.id`;

/** The referral's ledger, oldest first (one query). */
export async function loadLedger(manager: EntityManager, referralId: string): Promise<FeeEntryView[]> {
  const rows = await manager.query<FeeEntryRow[]>(
    `${ENTRY_SELECT} WHERE f.referral_id = $1 ORDER BY ${ledgerOrder('f')} LIMIT ${LEDGER_LIMIT}`,
    [referralId],
  );
  return rows.map(toView);
}

export async function loadEntry(manager: EntityManager, referralId: string, entryId: string): Promise<FeeEntryView | null> {
  const [row] = await manager.query<[FeeEntryRow?]>(`${ENTRY_SELECT} WHERE f.referral_id = $1 AND f.id = $2`, [referralId, entryId]);
  return row ? toView(row) : null;
}

/** What he owes now (positive) or has in credit (negative): the sum of his ledger. */
export async function feeBalanceOf(manager: EntityManager, referralId: string): Promise<number> {
  const [{ balance }] = await manager.query<Array<{ balance: number }>>(
    `SELECT COALESCE(sum(amount_cents), 0)::int AS balance FROM fee_entries WHERE referral_id = $1`,
    [referralId],
  );
  return balance;
}

/** The SQL for "fees are settled" on referral alias `alias`, for views that read many referrals. */
export function feesSettledSql(alias: string): string {
  return `(COALESCE((SELECT sum(f.amount_cents) FROM fee_entries f WHERE f.referral_id = ${alias}.id), 0) <= 0)`;
}

export interface IncomeBracketRecord {
  bracket: string;
  sessionFeeCents: number;
  recordedBy: string | null;
  recordedAt: Date;
}

interface IncomeBracketRow {
  bracket: string;
  session_fee_cents: number;
  recorded_by: string | null;
  recorded_at: Date;
}

/** The brackets' order, newest first, over brackets under `alias`. */
const bracketOrder = (alias: string) => `${alias}.recorded_at DESC, ${alias}.id DESC`;

/** His recorded income brackets, newest first (`referral`: the SQL of his referral id). */
const bracketsSql = (referral: string) => `SELECT b.id, b.bracket, b.session_fee_cents, u.name AS recorded_by, b.recorded_at
       FROM referral_income_brackets b LEFT JOIN users u ON u.id = b.recorded_by_id
      WHERE b.referral_id = ${referral} ORDER BY ${bracketOrder('b')} LIMIT 100`;

function toBracket(row: IncomeBracketRow): IncomeBracketRecord {
  return { bracket: row.bracket, sessionFeeCents: row.session_fee_cents, recordedBy: row.recorded_by, recordedAt: row.recorded_at };
}

/** His recorded income brackets, newest first. */
export async function loadIncomeBrackets(manager: EntityManager, referralId: string): Promise<IncomeBracketRecord[]> {
  return (await manager.query<IncomeBracketRow[]>(bracketsSql('$1'), [referralId])).map(toBracket);
}

/**
 * The SQL of two json columns, `ledger_entries` (oldest first) and `income_brackets` (newest
 * first), of referral `referral` (the SQL of his id, e.g. an outer column): the ledger and the
 * brackets read by the statement that reads his referral, not in two more. Read by parseLedgerRows.
 */
export function ledgerColumnsSql(referral: string): string {
  return `COALESCE((SELECT json_agg(le ORDER BY ${ledgerOrder('le')}) FROM (
              ${ENTRY_SELECT} WHERE f.referral_id = ${referral} ORDER BY ${ledgerOrder('f')} LIMIT ${LEDGER_LIMIT}) le), '[]'::json) AS ledger_entries,
          COALESCE((SELECT json_agg(ib ORDER BY ${bracketOrder('ib')}) FROM (${bracketsSql(referral)}) ib), '[]'::json) AS income_brackets`;
}

/** The entries and brackets of ledgerColumnsSql's columns, as loadLedger and loadIncomeBrackets give them. */
export function parseLedgerRows(row: { ledger_entries: FeeEntryRow[]; income_brackets: IncomeBracketRow[] }): {
  entries: FeeEntryView[];
  brackets: IncomeBracketRecord[];
} {
  // json gives the instants as text; the rows give them as Dates.
  return {
    entries: row.ledger_entries.map((entry) => toView({ ...entry, created_at: new Date(entry.created_at) })),
    brackets: row.income_brackets.map((bracket) => toBracket({ ...bracket, recorded_at: new Date(bracket.recorded_at) })),
  };
}
