import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { preCheckedBody } from '../http/pre-checked-body';

/** Flattens nested class-validator errors into { 'participant.firstName': ['...'] }. */
export function fieldMessages(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.values(error.constraints).map((message) =>
        // class-validator says "property x should not exist"; keep the full path instead.
        message.replace(/^property \S+ should not exist$/, `${path} is not an allowed field`),
      );
    }
    if (error.children?.length) Object.assign(fields, fieldMessages(error.children, path));
  }
  return fields;
}

/** An answer names at most this many fields; the rest are counted ("and 280 more …"). */
export const MAX_FIELDS_LISTED = 20;

export class FieldValidationException extends BadRequestException {
  readonly fields: Record<string, string[]>;

  constructor(fields: Record<string, string[]>) {
    const names = Object.keys(fields);
    const listed = Object.fromEntries(names.slice(0, MAX_FIELDS_LISTED).map((name) => [name, fields[name]]));
    const message = Object.values(listed).flat();
    const more = names.length - MAX_FIELDS_LISTED;
    if (more > 0) {
      const allUnknown = names
        .slice(MAX_FIELDS_LISTED)
        .every((name) => fields[name].every((text) => text.endsWith('is not an allowed field')));
      const noun = more === 1 ? 'field' : 'fields';
      message.push(
        `and ${more} more ${noun} ${allUnknown ? (more === 1 ? 'is not allowed' : 'are not allowed') : more === 1 ? 'has problems' : 'have problems'}`,
      );
    }
    super({ message, fields: listed });
    this.fields = listed;
  }
}

/**
 * The global pipe, first asking a body's hand-written check (common/http/pre-checked-body.ts): a
 * body it accepts is the DTO instance the pass would have made; anything else takes the pass.
 */
class PreCheckedValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype) {
      const checked = preCheckedBody(metadata.metatype, value);
      if (checked !== undefined) return Promise.resolve(checked);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The global pipe's options: strip nothing silently — unknown fields are refused, values are converted. */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => new FieldValidationException(fieldMessages(errors)),
};

/** The single global pipe. */
export function createValidationPipe(): ValidationPipe {
  return new PreCheckedValidationPipe(VALIDATION_PIPE_OPTIONS);
}
