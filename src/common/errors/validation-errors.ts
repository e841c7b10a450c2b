import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

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

export class FieldValidationException extends BadRequestException {
  constructor(readonly fields: Record<string, string[]>) {
    super({ message: Object.values(fields).flat(), fields });
  }
}

/** The single global pipe: strip nothing silently — unknown fields are refused, values are converted. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new FieldValidationException(fieldMessages(errors)),
  });
}
