import { Client } from 'pg';
import { SWEEP_BATCH_SIZE } from '../src/modules/compliance/compliance-sweep.service';
import { OPEN_REFERRAL_STATUSES } from '../src/modules/referrals/referral-status.enum';

/**
 * The existing-events read of ComplianceService.evaluate, word for word
 * (src/modules/compliance/compliance.service.ts, existingEvents). Timed alone with plain `pg`
 * to show how much of the sweep and of an attendance save it takes: its EXISTS on
 * corrects_event_id has no index to use.
 */
export const EXISTING_EVENTS_SQL = `SELECT e.id, e.referral_id, e.kind, e.threshold_key,
                EXISTS (SELECT 1 FROM compliance_events c WHERE c.corrects_event_id = e.id) AS corrected
           FROM compliance_events e WHERE e.referral_id = ANY($1::uuid[])`;

export async function countEvents(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM compliance_events');
  return Number(rows[0].n);
}

/** Milliseconds the existing-events statement takes over every sweep batch, one pass. */
export async function existingEventsPass(client: Client): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM referrals WHERE status = ANY($1::referral_status[]) ORDER BY id`,
    [OPEN_REFERRAL_STATUSES],
  );
  let total = 0;
  for (let start = 0; start < rows.length; start += SWEEP_BATCH_SIZE) {
    const ids = rows.slice(start, start + SWEEP_BATCH_SIZE).map((row) => row.id);
    const started = performance.now();
    await client.query(EXISTING_EVENTS_SQL, [ids]);
    total += performance.now() - started;
  }
  return total;
}

/** Whether some index leads with compliance_events.corrects_event_id (none did when this bench was written). */
export async function correctsEventIdIndexed(client: Client): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_indexes WHERE tablename = 'compliance_events' AND indexdef ~ '\\(corrects_event_id[,)]'`,
  );
  return rows.length > 0;
}
