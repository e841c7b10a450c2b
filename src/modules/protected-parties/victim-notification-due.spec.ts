import { dueState } from './victim-notification-due';

const ZONE = 'America/Chicago';
const due = new Date('2027-01-21T22:00:00Z'); // Thursday 21 January 2027, 4:00 PM in Chicago

describe('a victim notification against its clock, in words', () => {
  it('is due, with the day and hour in the program’s zone, until the moment it falls due', () => {
    expect(dueState(due, true, new Date('2027-01-21T21:59:59Z'), ZONE)).toEqual({ state: 'due', words: 'Due Jan 21, 2027, 4:00 PM' });
    expect(dueState(due, true, due, ZONE).state).toBe('due');
  });

  it('is overdue after, saying by how long: hours under two days, days after', () => {
    expect(dueState(due, true, new Date('2027-01-21T22:00:01Z'), ZONE).words).toBe('Overdue by 1 hour (was due Jan 21, 2027, 4:00 PM)');
    expect(dueState(due, true, new Date('2027-01-22T03:30:00Z'), ZONE).words).toBe('Overdue by 5 hours (was due Jan 21, 2027, 4:00 PM)');
    expect(dueState(due, true, new Date('2027-01-24T23:00:00Z'), ZONE).words).toBe('Overdue by 3 days (was due Jan 21, 2027, 4:00 PM)');
  });

  it('is never overdue once closed, nor without a clock', () => {
    expect(dueState(due, false, new Date('2027-02-01T00:00:00Z'), ZONE)).toEqual({ state: 'none', words: '' });
    expect(dueState(null, true, new Date('2027-02-01T00:00:00Z'), ZONE)).toEqual({ state: 'none', words: '' });
  });
});
