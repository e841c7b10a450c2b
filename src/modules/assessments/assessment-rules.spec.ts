import { assessmentProblems, storedAnswers } from './assessment-rules';
import { RecordAssessmentDto } from './record-assessment.dto';

const policy = {
  levels: [
    { key: '1', name: 'Level 1', requiredSessions: 26, completeWithinMonths: 6 },
    { key: '2', name: 'Level 2', requiredSessions: 39, completeWithinMonths: 9 },
  ],
  assessmentFactors: ['Legal history', 'Standardized test results'],
};

const input = (overrides: Partial<RecordAssessmentDto> = {}): RecordAssessmentDto => ({
  levelKey: '2',
  assessedOn: '2026-11-20',
  assessedBy: 'J. Ortiz',
  reason: 'Moderate risk',
  factors: [
    { factor: 'Standardized test results', note: 'moderate' },
    { factor: 'Legal history', present: true },
  ],
  ...overrides,
});

describe('what an assessment must say against its policy', () => {
  it('accepts a listed level with every factor answered, in any order', () => {
    expect(assessmentProblems(input(), policy, '2026-11-09', '2026-11-25')).toEqual({});
  });

  it('names the field of each problem', () => {
    expect(assessmentProblems(input({ levelKey: '9' }), policy, '2026-11-09', '2026-11-25')).toEqual({
      levelKey: ['levelKey must be one of the policy’s levels: 1, 2'],
    });
    expect(assessmentProblems(input({ assessedOn: '2026-11-26' }), policy, '2026-11-09', '2026-11-25')).toEqual({
      assessedOn: ['assessedOn cannot be in the future'],
    });
    expect(assessmentProblems(input({ assessedOn: '2026-11-08' }), policy, '2026-11-09', '2026-11-25')).toEqual({
      assessedOn: ['assessedOn cannot be before the order'],
    });
    expect(
      assessmentProblems(
        input({ factors: [{ factor: 'Legal history' }, { factor: 'Horoscope', present: true }] }),
        policy,
        '2026-11-09',
        '2026-11-25',
      ),
    ).toEqual({
      'factors.0': ['Legal history: answer yes or no, or write a note'],
      'factors.1.factor': ['"Horoscope" is not one of the policy’s assessment factors'],
      factors: ['factors must answer every factor the policy lists; missing: Standardized test results'],
    });
  });

  it('refuses any level for a policy without levels', () => {
    expect(assessmentProblems(input(), { levels: [], assessmentFactors: [] }, '2026-11-09', '2026-11-25').levelKey).toEqual([
      'this order’s policy has no levels: its length is fixed',
    ]);
  });

  it('stores the answers in the policy’s order, an unanswered yes/no as null', () => {
    expect(storedAnswers(input(), policy.assessmentFactors)).toEqual([
      { factor: 'Legal history', present: true, note: null },
      { factor: 'Standardized test results', present: null, note: 'moderate' },
    ]);
  });
});
