import { enrollmentWarnings } from './enrollment-warnings';

describe('warnings at enrollment', () => {
  it('says in words when his language is not the group’s', () => {
    expect(enrollmentWarnings({ firstName: 'Juan', language: 'es' }, { language: 'en' })).toEqual([
      { code: 'language_mismatch', message: 'Juan’s language is Spanish; the group meets in English' },
    ]);
  });

  it('says nothing when the languages match', () => {
    expect(enrollmentWarnings({ firstName: 'Juan', language: 'es' }, { language: 'es' })).toEqual([]);
  });

  it('names a language recorded before the list by its code rather than guessing', () => {
    expect(enrollmentWarnings({ firstName: 'Ali', language: 'so-SO' }, { language: 'so' })[0].message).toBe(
      'Ali’s language is so-SO; the group meets in Somali',
    );
  });
});
