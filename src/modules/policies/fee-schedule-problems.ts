import { FeeSchedule } from './fee-schedule';

/** What is wrong with a fee schedule, by field (empty: nothing). */
export function feeScheduleProblems(schedule: FeeSchedule): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  if (schedule.totalCapCents !== null && schedule.totalCapCents < schedule.intakeFeeCents) {
    add('feeTotalCapCents', 'feeTotalCapCents cannot be less than the intake fee');
  }
  const keys = new Set<string>();
  schedule.brackets.forEach((bracket, index) => {
    if (keys.has(bracket.key)) add(`feeBrackets.${index}.key`, `bracket key "${bracket.key}" is used twice`);
    keys.add(bracket.key);
    const both = bracket.sessionFeeCents !== undefined && bracket.percentOfSessionFee !== undefined;
    const neither = bracket.sessionFeeCents === undefined && bracket.percentOfSessionFee === undefined;
    if (both || neither) add(`feeBrackets.${index}`, 'give either sessionFeeCents or percentOfSessionFee, not both');
  });
  if (schedule.brackets.filter((bracket) => bracket.upToIncomeCents === null).length > 1) {
    add('feeBrackets', 'only one bracket may be open-ended (upToIncomeCents null)');
  }
  return fields;
}
