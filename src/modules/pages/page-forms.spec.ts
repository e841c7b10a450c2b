import { languageChoiceMessage } from '../participants/program-languages';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { formErrorsOf, formInteger, humanFieldMessages, refusalOf } from './page-forms';

describe('field messages a person reads beside a form', () => {
  const labels = {
    'participant.dateOfBirth': 'Date of birth',
    orderedOn: 'Ordered on',
    caseNumber: 'Case number',
    startDate: 'First session',
  };

  it('names the field by its label and says the rule in plain words', () => {
    expect(
      humanFieldMessages(
        {
          'participant.dateOfBirth': ['participant.dateOfBirth must be at least 14 years ago'],
          orderedOn: ['orderedOn cannot be in the future'],
          caseNumber: ['caseNumber must be 3-60 letters, digits and - . / _'],
          startDate: ['startDate must be after 2026-11-03, when he joined his current group'],
        },
        labels,
      ),
    ).toEqual({
      'participant.dateOfBirth': ['Date of birth: he must be at least 14'],
      orderedOn: ['Ordered on: it cannot be in the future'],
      caseNumber: ['Case number: use 3 to 60 letters, digits and - . / _'],
      startDate: ['First session: must be after 2026-11-03, when he joined his current group'],
    });
  });

  it('leaves messages already in plain words, and fields without a label, as they are', () => {
    expect(humanFieldMessages({ caseNumber: ['Case 1 is already referred from this court'], other: ['other must be x'] }, labels)).toEqual({
      caseNumber: ['Case 1 is already referred from this court'],
      other: ['other must be x'],
    });
  });

  it('says a language outside the list as a choice from the list', () => {
    expect(
      humanFieldMessages(
        { 'participant.language': [languageChoiceMessage('participant.language')] },
        { 'participant.language': 'Preferred language' },
      ),
    ).toEqual({
      'participant.language': ['Preferred language: choose a language from the list'],
    });
  });
});

describe('a form’s refusals', () => {
  it('hands back a refusal the form shows, and nothing when the action was done', async () => {
    const taken = new ConflictError('NAME_TAKEN', 'That name is taken');
    expect(await refusalOf(() => Promise.reject(taken))).toBe(taken);
    let done = false;
    expect(await refusalOf(() => Promise.resolve((done = true)))).toBeNull();
    expect(done).toBe(true);
  });

  it('lets any other error go on to the error page', async () => {
    const missing = new NotFoundError('agency');
    await expect(refusalOf(() => Promise.reject(missing))).rejects.toBe(missing);
    await expect(refusalOf(() => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
  });

  it('puts a refusal beside the fields it names, else above the form', () => {
    const fields = { noticeEmail: ['noticeEmail is required for a court'] };
    expect(formErrorsOf(new UnprocessableError('AGENCY_EMAIL', 'Needs an address', { fields }))).toEqual({ errors: fields, problem: null });
    expect(formErrorsOf(new ConflictError('GROUP_FULL', 'The group is full'))).toEqual({ errors: {}, problem: 'The group is full' });
  });

  it('reads a number as the API would receive it, and leaves anything else as text to be refused', () => {
    expect([formInteger('90'), formInteger('-3'), formInteger('ninety'), formInteger('1234567'), formInteger('')]).toEqual([
      90,
      -3,
      'ninety',
      '1234567',
      '',
    ]);
  });
});
