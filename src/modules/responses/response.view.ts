import { HearingOutcome, ResponseAgency, ResponseKind } from './response-kind.enum';

export interface ResponseRow {
  id: string;
  event_id: string;
  referral_id: string;
  agency: ResponseAgency;
  kind: ResponseKind;
  occurs_on: string | null;
  outcome: HearingOutcome | null;
  details: string | null;
  supersedes_id: string | null;
  superseded_by_id: string | null;
  recorded_by_name: string;
  recorded_at: Date;
}

export const RESPONSE_ROW_SELECT = `
  er.id, er.event_id, er.referral_id, er.agency, er.kind, er.occurs_on::text AS occurs_on, er.outcome, er.details, er.supersedes_id,
  (SELECT s.id FROM event_responses s WHERE s.supersedes_id = er.id) AS superseded_by_id,
  u.name AS recorded_by_name, er.recorded_at`;

export const RESPONSE_ROW_FROM = `event_responses er JOIN users u ON u.id = er.recorded_by_id`;

export interface ResponseView {
  id: string;
  eventId: string;
  referralId: string;
  agency: ResponseAgency;
  kind: ResponseKind;
  date: string | null;
  outcome: HearingOutcome | null;
  details: string | null;
  supersedesId: string | null;
  /** A later response corrected this one: it no longer stands. */
  supersededById: string | null;
  recordedBy: { name: string };
  recordedAt: Date;
}

export function toResponseView(row: ResponseRow): ResponseView {
  return {
    id: row.id,
    eventId: row.event_id,
    referralId: row.referral_id,
    agency: row.agency,
    kind: row.kind,
    date: row.occurs_on,
    outcome: row.outcome,
    details: row.details,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
    recordedBy: { name: row.recorded_by_name },
    recordedAt: row.recorded_at,
  };
}
