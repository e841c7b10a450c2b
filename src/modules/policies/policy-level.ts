import { addMonths } from '../../common/dates';

/**
 * One level of a policy that sets the length of the program by an assessed level (Washington
 * WAC 388-60B-0420: levels 1-4). Sessions stay weekly; the level says how many and how long.
 */
export interface PolicyLevel {
  /** Short and stable ("1".."4", "A"): what the roster and the letters show. */
  key: string;
  name: string;
  requiredSessions: number;
  completeWithinMonths: number;
}

/** What an order asks of him once its level is known (or the policy's own figures without one). */
export interface OrderTerms {
  requiredSessions: number;
  completeWithinMonths: number;
  completeBy: string;
}

/**
 * The required sessions and complete-by date of an order under a level: complete-by is the order
 * date plus the level's months, a month end kept at the month end's last day (31 Aug + 6 months =
 * 28 Feb, or 29 in a leap year), exactly as intake computes it from the policy without levels.
 */
export function termsFor(orderedOn: string, level: Pick<PolicyLevel, 'requiredSessions' | 'completeWithinMonths'>): OrderTerms {
  return {
    requiredSessions: level.requiredSessions,
    completeWithinMonths: level.completeWithinMonths,
    completeBy: addMonths(orderedOn, level.completeWithinMonths),
  };
}

/** Weekly sessions that fit in a number of months (30.4 days each), as the policy check counts them. */
export function weeksWithin(months: number): number {
  return Math.floor((months * 30.4) / 7);
}
