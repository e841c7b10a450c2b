import { DEMO_PASSWORDS, DEMO_STAFF } from '../../database/seeds/demo-people';
import { passwordProblems } from './password-policy';

describe('passwordProblems (NIST SP 800-63B)', () => {
  it('refuses fewer than 12 characters, counting each code point once', () => {
    expect(passwordProblems('short pass1')).toHaveLength(1);
    expect(passwordProblems('ünïcödé-wörd')).toEqual([]);
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(passwordProblems('🐻'.repeat(11))).toHaveLength(1);
  });

  it('asks for no composition: lower-case words with spaces pass', () => {
    expect(passwordProblems('lake superior in november')).toEqual([]);
    expect(passwordProblems('porcupine mountains trail')).toEqual([]);
  });

  it('refuses listed (breached, common) passwords, also with digits or symbols around them', () => {
    for (const password of ['password1234', '123456789012', 'passwordpassword', 'Password1234!', '!!sunshine2026!!', 'iloveyouiloveyou']) {
      expect({ password, problems: passwordProblems(password).length }).toEqual({ password, problems: 1 });
    }
  });

  it('refuses repetitions and keyboard or counting runs', () => {
    for (const password of ['aaaaaaaaaaaa', 'abcabcabcabc', 'qwertyuiopas', '987654321098', 'abcdefghijklm']) {
      expect({ password, problems: passwordProblems(password).length }).toEqual({ password, problems: 1 });
    }
  });

  it('refuses a password made of the person’s own name or address, or the product’s name', () => {
    expect(passwordProblems('mariagarcia2026', { name: 'Maria Garcia' })).toHaveLength(1);
    expect(passwordProblems('po.garcia@probation', { email: 'po.garcia@probation.example.gov' })).toHaveLength(1);
    expect(passwordProblems('throughline!!2026')).toHaveLength(1);
    expect(passwordProblems('maria walks the lakewalk', { name: 'Maria Garcia' })).toEqual([]);
  });

  it('accepts every demo password for its demo account (the seed and the README stay as they are)', () => {
    for (const person of DEMO_STAFF) {
      const password = DEMO_PASSWORDS[person.role];
      expect({ who: person.email, problems: passwordProblems(password, person) }).toEqual({ who: person.email, problems: [] });
    }
  });
});
