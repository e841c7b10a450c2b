import { languageChoiceMessage } from '../participants/program-languages';
import { humanFieldMessages } from './page-forms';

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
