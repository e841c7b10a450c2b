import { FieldValidationException, MAX_FIELDS_LISTED } from './validation-errors';

describe('FieldValidationException', () => {
  const unknown = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, [`k${index} is not an allowed field`]]));

  it('lists every field while there are few', () => {
    const error = new FieldValidationException({ email: ['email must be an e-mail address'] });
    expect(error.getResponse()).toEqual({
      message: ['email must be an e-mail address'],
      fields: { email: ['email must be an e-mail address'] },
    });
  });

  it('lists the first 20 fields and counts the rest', () => {
    const error = new FieldValidationException(unknown(8_500));
    const body = error.getResponse() as { message: string[]; fields: Record<string, string[]> };
    expect(Object.keys(body.fields)).toHaveLength(MAX_FIELDS_LISTED);
    expect(body.message).toHaveLength(MAX_FIELDS_LISTED + 1);
    expect(body.message[MAX_FIELDS_LISTED]).toBe('and 8480 more fields are not allowed');
    expect(JSON.stringify(body).length).toBeLessThan(2_000);
  });

  it('says "have problems" when the rest are not only unknown fields', () => {
    const error = new FieldValidationException({ ...unknown(20), name: ['name must be a string'] });
    expect((error.getResponse() as { message: string[] }).message[20]).toBe('and 1 more field has problems');
  });
});
