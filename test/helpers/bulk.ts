import { addDays, addMonths } from '../../src/common/dates';
import { Staff } from './fixtures';
import { TestApp } from './test-app';

/**
 * Many active referrals at once, by SQL, for volume and fault tests: each enrolled in one group
 * from `enrolledOn`, ordered `orderedDaysAgo` days before `today` under the given policy.
 */
export async function insertActiveReferrals(
  testApp: TestApp,
  staff: Staff,
  options: {
    count: number;
    policyId: string;
    groupId: string;
    today: string;
    orderedDaysAgo: number;
    enrollWithinDays: number;
    completeWithinMonths: number;
  },
): Promise<string[]> {
  const orderedOn = addDays(options.today, -options.orderedDaysAgo);
  const rows: Array<{ id: string }> = await testApp.dataSource.query(
    `WITH people AS (
       INSERT INTO participants (first_name, last_name, first_name_key, last_name_key, date_of_birth)
       SELECT 'Bulk' || i, 'Person' || i, 'bulk' || i, 'person' || i, DATE '1980-01-01' + i
         FROM generate_series(1, $1) AS i
       RETURNING id
     ), numbered AS (SELECT id, row_number() OVER () AS n FROM people)
     INSERT INTO referrals (participant_id, case_number, court_agency_id, probation_officer_id, policy_id, ordered_on, enroll_by, complete_by, status)
     SELECT id, 'BULK-' || $2 || '-' || n, $3, $4, $5, $6, $7, $8, 'active' FROM numbered
     RETURNING id`,
    [
      options.count,
      Math.random().toString(36).slice(2, 7).toUpperCase(),
      staff.court.id,
      staff.users.probation_officer.id,
      options.policyId,
      orderedOn,
      addDays(orderedOn, options.enrollWithinDays),
      addMonths(orderedOn, options.completeWithinMonths),
    ],
  );
  const ids = rows.map((row) => row.id);
  await testApp.dataSource.query(
    `INSERT INTO enrollments (referral_id, group_id, start_date) SELECT id, $2, $3 FROM unnest($1::uuid[]) AS id`,
    // Three days ago, or by his enroll-by date if that was earlier: these men enrolled in time.
    [ids, options.groupId, [addDays(options.today, -3), addDays(orderedOn, options.enrollWithinDays)].sort()[0]],
  );
  return ids;
}
