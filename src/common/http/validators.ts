import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate } from '../dates';

/** A real calendar date written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIsoDate(value),
        defaultMessage: (args) => `${args?.property} must be a date written YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** Wall-clock time HH:MM (24 h). */
export function IsClockTime(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isClockTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
        defaultMessage: (args) => `${args?.property} must be a time written HH:MM (24-hour)`,
      },
    },
    options,
  );
}

export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
