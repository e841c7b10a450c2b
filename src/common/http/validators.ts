import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { isIsoDate } from '../dates';

/** A real calendar date written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIsoDate(value),
        defaultMessage: (args) => `${String(args?.property)} must be a date written YYYY-MM-DD`,
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
        defaultMessage: (args) => `${String(args?.property)} must be a time written HH:MM (24-hour)`,
      },
    },
    options,
  );
}

export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * A field a change may leave out, but not set to null: the column is NOT NULL, and null is not
 * "keep the current value" (IsOptional would let it through to the database, a 500).
 */
export function OptionalNotNull() {
  return applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    ValidateBy({
      name: 'notNull',
      validator: {
        validate: (value: unknown) => value !== null,
        defaultMessage: (args) => `${String(args?.property)} cannot be null; leave it out to keep the current value`,
      },
    }),
  );
}

/**
 * Several property decorators as one, applied as they would be written stacked above the
 * property (the last one first), so a field's messages keep the order they had written out.
 */
export function Stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of [...decorators].reverse()) decorator(target, property);
  };
}
