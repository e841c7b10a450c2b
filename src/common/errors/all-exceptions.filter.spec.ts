import { BadRequestException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter, loggableError } from './all-exceptions.filter';

describe('the exception filter', () => {
  const filter = new AllExceptionsFilter();

  it('logs an error without the query or its parameters, which may hold a man’s name', () => {
    const error = new QueryFailedError(
      'SELECT pg_advisory_xact_lock(hashtext($1))',
      ['participant:whitfield:james:1984-03-17'],
      new Error('boom'),
    );
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain('whitfield');
    expect(logged).not.toContain('1984-03-17');
    expect(logged).toContain('QueryFailedError');
  });

  it('answers a character PostgreSQL cannot store with 400, not 500', () => {
    const error = Object.assign(new QueryFailedError('INSERT …', [], new Error('invalid byte sequence for encoding "UTF8": 0x00')), {
      code: '22021',
    });
    expect(filter.toBody(error)).toMatchObject({ statusCode: 400, code: 'INVALID_VALUE' });
  });

  it('names the field when the id in the address is not a UUID', () => {
    expect(filter.toBody(new BadRequestException('Validation failed (uuid is expected)'))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The id in the address must be a UUID',
      code: 'INVALID_ID',
      fields: { id: ['id must be a UUID'] },
    });
  });
});
