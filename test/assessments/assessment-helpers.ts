/** The Washington preset's factors (WAC 388-60B-0400(4)), in its order. */
export const WASHINGTON_FACTORS = [
  'Behavioral assessment and screening interview',
  'Collateral information from third-party sources',
  'Legal history',
  'Standardized test results',
  'Risk, needs and responsivity',
];

/** A complete assessment of a Washington order at a level. */
export function assessmentBody(levelKey: string, overrides: Record<string, unknown> = {}) {
  return {
    levelKey,
    assessedOn: '2026-11-20',
    assessedBy: 'J. Ortiz, MSW',
    reason: 'Prior DV conviction and a protection order; moderate risk on the screening instrument',
    factors: WASHINGTON_FACTORS.map((factor, index) => ({
      factor,
      present: index % 2 === 0,
      note: index === 2 ? 'two prior convictions' : undefined,
    })),
    ...overrides,
  };
}
