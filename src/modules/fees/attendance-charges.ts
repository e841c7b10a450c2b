import { AuditedWrite } from '../audit/audited-write';

/**
 * The fees a roster save owes, as CTEs of the save's own write statement: for each mark it
 * changes (the CTE `marks`: referral_id and the new status of each), a charge for a session now
 * attended (and the intake fee at his first), an adjustment reversing the charge of a session no
 * longer attended, and an audit entry for each. Idempotent: a re-save changes no mark and so
 * charges nothing; the unique (referral, session, kind, round) index makes a racing duplicate a
 * no-op. The per-session fee is his recorded bracket's, else the policy's standard one; the total
 * stays within the policy's cap (see fee-rules.ts: nextCharge and chargedTowardsCap, which the
 * ledger e2e test holds this SQL to). The ledger rows it reads are the ones before the statement,
 * which are all there are: nothing else in the save writes the ledger.
 */
export function addAttendanceCharges(write: AuditedWrite, marks: string, sessionParam: string): void {
  write.with(
    'fee_marked',
    `SELECT m.referral_id, ${sessionParam}::uuid AS session_id,
            (m.status IN ('present', 'late') OR (m.status = 'left_early' AND pol.left_early_counts)) AS attended,
            pol.intake_fee_cents, pol.fee_total_cap_cents AS cap,
            COALESCE((SELECT b.session_fee_cents FROM referral_income_brackets b WHERE b.referral_id = m.referral_id
                       ORDER BY b.recorded_at DESC, b.id DESC LIMIT 1), pol.session_fee_cents) AS fee
       FROM ${marks} m
       JOIN referrals r ON r.id = m.referral_id
       JOIN policies pol ON pol.id = r.policy_id`,
  );
  write.with(
    'fee_standing',
    `SELECT mk.*, COALESCE(l.charges, 0) AS charges, COALESCE(l.reversals, 0) AS reversals, l.last_charge,
            COALESCE(l.towards_cap, 0) AS towards_cap, COALESCE(l.has_intake, false) AS has_intake
       FROM fee_marked mk
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE f.kind = 'charge' AND f.session_id = mk.session_id) AS charges,
                count(*) FILTER (WHERE f.kind = 'adjustment' AND f.session_id = mk.session_id) AS reversals,
                (array_agg(f.amount_cents ORDER BY f.session_round DESC) FILTER (WHERE f.kind = 'charge' AND f.session_id = mk.session_id))[1] AS last_charge,
                sum(f.amount_cents) FILTER (WHERE f.kind = 'charge' OR (f.kind = 'adjustment' AND f.session_id IS NOT NULL)) AS towards_cap,
                bool_or(f.charge_for = 'intake') AS has_intake
           FROM fee_entries f WHERE f.referral_id = mk.referral_id
       ) l ON true`,
  );
  write.with(
    'fee_planned',
    `SELECT s.*,
            CASE WHEN s.attended AND NOT s.has_intake
                 THEN GREATEST(0, LEAST(s.intake_fee_cents, COALESCE(s.cap - s.towards_cap, s.intake_fee_cents))) ELSE 0 END AS intake_now
       FROM fee_standing s`,
  );
  write.with(
    'fee_due',
    `SELECT referral_id, 'charge' AS kind, intake_now AS amount_cents, 'intake' AS charge_for, NULL::uuid AS session_id, NULL::int AS session_round, NULL AS reason
       FROM fee_planned WHERE intake_now > 0
     UNION ALL
     SELECT referral_id, 'charge', GREATEST(0, LEAST(fee, COALESCE(cap - towards_cap - intake_now, fee))), 'session', session_id, (charges + 1)::int, NULL
       FROM fee_planned WHERE attended AND charges = reversals
     UNION ALL
     SELECT referral_id, 'adjustment', -last_charge, 'session', session_id, charges::int, 'mark corrected: the session no longer counts'
       FROM fee_planned WHERE NOT attended AND charges > reversals`,
  );
  write.with(
    'fee_written',
    `INSERT INTO fee_entries (referral_id, kind, amount_cents, charge_for, session_id, session_round, reason)
     SELECT referral_id, kind, amount_cents, charge_for, session_id, session_round, reason FROM fee_due WHERE amount_cents <> 0
     ON CONFLICT DO NOTHING
     RETURNING id, referral_id, kind, amount_cents, charge_for, session_id`,
  );
  write.audit(
    `SELECT CASE WHEN kind = 'charge' THEN 'fees.charge' ELSE 'fees.reverse' END, 'fee_entry', id,
            jsonb_build_object('referralId', referral_id, 'sessionId', session_id, 'amountCents', amount_cents, 'chargeFor', charge_for),
            row_number() OVER (ORDER BY referral_id, charge_for DESC)
       FROM fee_written`,
  );
}
