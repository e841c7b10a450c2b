import { usDateTime } from '../../common/dates';

/** Where an open victim notification stands against its clock, in the advocate's words. */
export interface DueState {
  state: 'overdue' | 'due' | 'none';
  /** "Overdue by 2 days (was due Jan 21, 2027, 4:00 PM)" · "Due Jan 21, 2027, 4:00 PM" · "" when closed or without a clock */
  words: string;
}

const HOUR = 3_600_000;

/** How long past: in hours under two days, in days after ("overdue by 1 hour", "by 3 days"). */
function lateness(ms: number): string {
  const hours = Math.max(1, Math.floor(ms / HOUR));
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/**
 * A notification still open past its due time is overdue; one closed (told, recorded, skipped) is
 * never overdue, whenever it was closed, and one without a clock has no due words. Pure.
 */
export function dueState(dueAt: Date | null, open: boolean, now: Date, timeZone: string): DueState {
  if (!dueAt || !open) return { state: 'none', words: '' };
  const late = now.getTime() - dueAt.getTime();
  if (late > 0) return { state: 'overdue', words: `Overdue by ${lateness(late)} (was due ${usDateTime(dueAt, timeZone)})` };
  return { state: 'due', words: `Due ${usDateTime(dueAt, timeZone)}` };
}
