import fc from 'fast-check';
import { DULUTH_PRESET } from '../../database/seeds/policy-presets';
import { POLICY_RULE_FIELDS, policyChanges, PolicyRules } from './policy-diff';

/** The Duluth preset, with the rules it leaves unset spelled out as a stored version has them. */
const base: PolicyRules = {
  ...DULUTH_PRESET,
  source: 'Minn. Stat. 518B.02',
  progressReportDayOfMonth: null,
  victimNotification: 'none',
  victimNoticeEnrollmentBusinessDays: null,
  victimNoticeDischargeHours: null,
  protectedPartyAdminAccess: false,
};

describe('policyChanges', () => {
  it('says nothing changed between equal versions', () => {
    expect(policyChanges(base, { ...base })).toEqual([]);
  });

  it('words a limit raised, a number lowered, a switch turned and a rule chosen', () => {
    const after: PolicyRules = {
      ...base,
      maxUnexcusedAbsences: 3,
      requiredSessions: 20,
      feesRequired: true,
      violationReportBusinessDays: 0,
      victimNotification: 'unless_declined',
      progressReportDayOfMonth: 10,
    };
    expect(policyChanges(base, after).map((change) => change.sentence)).toEqual([
      'Sessions required: lowered from 24 sessions to 20 sessions.',
      'Unexcused absences allowed: raised from 2 to 3.',
      'Fees must be paid to complete: changed from no to yes.',
      'Progress report due on a day of the month: changed from no (every so many days) to the 10th.',
      'Violations reported within: lowered from 2 business days to immediately.',
      'The protected party, at the end: changed from not told to told unless she declined.',
    ]);
  });

  it('says the victim-notification clocks in words, and their removal as no deadline', () => {
    const florida: PolicyRules = { ...base, victimNoticeEnrollmentBusinessDays: 3, victimNoticeDischargeHours: 24 };
    expect(policyChanges(base, florida).map((change) => change.sentence)).toEqual([
      'The protected party told of his enrollment within: changed from no deadline to 3 business days.',
      'The protected party told of his completion or termination within: changed from no deadline to 24 hours.',
    ]);
    expect(policyChanges(florida, base).map((change) => change.after)).toEqual(['no deadline', 'no deadline']);
  });

  it('names exactly the fields that differ, once each, in the table’s order (against a field-by-field model)', () => {
    const numbers = fc.integer({ min: 0, max: 60 });
    const version = fc.record({
      requiredSessions: numbers,
      maxAbsences: numbers,
      maxUnexcusedAbsences: numbers,
      noAttendanceDays: numbers,
      feesRequired: fc.boolean(),
      leftEarlyCounts: fc.boolean(),
      progressReportDayOfMonth: fc.option(fc.integer({ min: 1, max: 28 }), { nil: null }),
      victimNotification: fc.constantFrom('none' as const, 'on_request' as const, 'unless_declined' as const),
      source: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      victimNoticeEnrollmentBusinessDays: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      victimNoticeDischargeHours: fc.option(fc.constantFrom(12, 24, 48), { nil: null }),
    });
    fc.assert(
      fc.property(version, version, (left, right) => {
        const before = { ...base, ...left };
        const after = { ...base, ...right };
        const absentIfEmpty = (value: unknown) => (value === '' ? null : value);
        const expected = POLICY_RULE_FIELDS.filter((field) => absentIfEmpty(before[field]) !== absentIfEmpty(after[field]));
        const changes = policyChanges(before, after);
        expect(changes.map((change) => change.field)).toEqual(expected);
        for (const change of changes) expect(change.before).not.toBe(change.after);
      }),
    );
  });
});
