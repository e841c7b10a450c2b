/**
 * Passwords as NIST SP 800-63B (5.1.1.2) asks: at least 12 characters (each Unicode code point
 * counts as one; spaces allowed), at most 200, no composition rules (no "one digit, one symbol"),
 * and not a value that is commonly used, expected or already breached. The list is the ~49,000
 * most common passwords from breach corpora that @zxcvbn-ts/language-common ships, so the check
 * needs no network at run time. "Expected" values are caught too: one character or a short unit
 * repeated, a keyboard or counting run, a common password with digits or symbols around it, and the
 * words of the person's own e-mail address and name or the product's name.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export interface PasswordContext {
  email?: string | null;
  name?: string | null;
}

let common: Set<string> | null = null;
/** Built on first use: the list costs a few MB, which a worker process never needs. */
function commonPasswords(): Set<string> {
  if (!common) {
    // Required here, not imported: a process that never judges a password never loads the list.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as said above
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  }
  return common;
}

const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  '1234567890qwertyuiop',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
];
const PRODUCT_WORDS = ['throughline'];

/** What is wrong with a password, in words for the person choosing it; empty when it is acceptable. */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) return [`Use at least ${PASSWORD_MIN_LENGTH} characters (a few words in a row are easy to remember)`];
  if (length > PASSWORD_MAX_LENGTH) return [`Use at most ${PASSWORD_MAX_LENGTH} characters`];
  const folded = password.normalize('NFKC').toLowerCase();
  const compact = folded.replace(/\s+/g, '');
  if (isRepetition(compact)) return ['A character or a few repeated is easy to guess: choose something less regular'];
  if (isRun(compact)) return ['A row of the keyboard or a count is easy to guess: choose something less regular'];
  const list = commonPasswords();
  const core = compact.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (list.has(folded) || list.has(compact) || (core.length >= 4 && list.has(core)) || isRepeatedWord(compact, list)) {
    return ['This password is one of the most common ones (found in lists of breached passwords): choose another'];
  }
  const own = ownWords(context);
  const letters = compact.replace(/[^\p{L}\p{N}]/gu, '');
  const address = (context.email ?? '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (
    (address && address.includes(letters)) ||
    own.some((word) => letters === word || (word.length >= 4 && letters.replace(word, '').length < 6 && letters.includes(word)))
  ) {
    return ['Do not build the password from your name, your e-mail address or the name of this service'];
  }
  return [];
}

function isRepetition(value: string): boolean {
  for (let unit = 1; unit <= 4; unit++) {
    if (value.length % unit === 0 && value.slice(0, unit).repeat(value.length / unit) === value) return true;
  }
  return false;
}

function isRun(value: string): boolean {
  return RUNS.some((run) => {
    const doubled = run + run;
    const reversed = Array.from(doubled).reverse().join('');
    return doubled.includes(value) || reversed.includes(value);
  });
}

/** "passwordpassword", "monkeymonkey1": a listed word said twice. */
function isRepeatedWord(value: string, list: Set<string>): boolean {
  const core = value.replace(/\d+$/, '');
  return (
    core.length % 2 === 0 && core.slice(0, core.length / 2) === core.slice(core.length / 2) && list.has(core.slice(0, core.length / 2))
  );
}

function ownWords(context: PasswordContext): string[] {
  const words = [...PRODUCT_WORDS];
  const email = context.email?.toLowerCase() ?? '';
  if (email) {
    const [local] = email.split('@');
    words.push(email.replace(/[^\p{L}\p{N}]/gu, ''), local.replace(/[^\p{L}\p{N}]/gu, ''));
    words.push(...local.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 4));
  }
  const name = context.name?.toLowerCase() ?? '';
  if (name) {
    words.push(name.replace(/[^\p{L}\p{N}]/gu, ''));
    words.push(...name.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 4));
  }
  return [...new Set(words.filter((word) => word.length >= 3))];
}
