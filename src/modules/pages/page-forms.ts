import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from '../../common/errors/domain-error';
import { fieldMessages } from '../../common/errors/validation-errors';

export type FieldErrors = Record<string, string[]>;
export type FormBody = Record<string, unknown>;

/** A form drawn again: what was typed, what is wrong beside each field, and a problem above it all. */
export interface PageForm {
  values: Record<string, string>;
  errors: FieldErrors;
  problem?: string | null;
}

/** How many agencies, users, curricula or groups a page's lists and choices offer at most. */
export const REFERENCE_LIMIT = 200;

/**
 * A DTO's or record's fields as plain data. Pages copy them into view models and API bodies
 * (`{ ...agency, kindLabel }`); the copy has no prototype, and none of them needs one.
 */
export type Fields<T> = { [K in keyof T]: T[K] };

export function fieldsOf<T extends object>(value: T): Fields<T> {
  return value;
}

/** The member a form's text names, or undefined for text that names none of them. */
export function oneOf<T extends string>(members: readonly T[], value: string | undefined): T | undefined {
  return members.find((member) => member === value);
}

/** One text value of a urlencoded form (a repeated name keeps its first value). */
export function formText(body: FormBody, name: string): string {
  const value = body[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** "90" → 90, so the DTO checks a number as the API would receive it; anything else stays text and is refused. */
export function formInteger(value: string): number | string {
  return /^-?\d{1,6}$/.test(value) ? Number(value) : value;
}

/** Every value of a repeated form name. */
export function formList(body: FormBody, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/**
 * Validates a form with the API's own DTO and options, so a page accepts exactly what the
 * endpoint would; errors come back under the same field paths (participant.firstName …).
 */
export async function validateForm<T extends object>(
  dto: ClassConstructor<T>,
  plain: object,
): Promise<{ value: T; errors: null } | { value: null; errors: FieldErrors }> {
  const instance = plainToInstance(dto, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? { value: null, errors: fieldMessages(errors) } : { value: instance, errors: null };
}

/** The field map a domain error carries (422 details.fields), if any. */
export function domainFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof DomainError)) return null;
  const fields = error.details?.fields;
  return fields && typeof fields === 'object' ? (fields as FieldErrors) : null;
}

/** Domain errors a form shows to the user; anything else goes on to the error page. */
export function isFormProblem(error: unknown): error is DomainError {
  return error instanceof DomainError && (error.kind === 'unprocessable' || error.kind === 'conflict' || error.kind === 'bad_request');
}

/**
 * Does what a form asks. A refusal the form shows (see `isFormProblem`) comes back, for the page
 * to draw with the form; null when it was done; anything else goes on to the error page.
 */
export async function refusalOf(action: () => Promise<unknown>): Promise<DomainError | null> {
  try {
    await action();
    return null;
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    return error;
  }
}

/** A refusal of the service beside the fields it names, else above the form. */
export function formErrorsOf(error: DomainError): { errors: FieldErrors; problem: string | null } {
  const fields = domainFieldErrors(error);
  return fields ? { errors: fields, problem: null } : { errors: {}, problem: error.message };
}

/**
 * The API's messages are precise but technical ("courtAgencyId must be a UUID"); for a field left
 * empty a page says plainly what is missing instead. Other messages are shown as the API says them.
 */
export function plainEmptyMessages(errors: FieldErrors, values: Record<string, string>, whenEmpty: Record<string, string>): FieldErrors {
  const result: FieldErrors = { ...errors };
  for (const [name, message] of Object.entries(whenEmpty)) {
    if (Object.hasOwn(result, name) && !values[name]) result[name] = [message];
  }
  return result;
}

/**
 * The API's field messages name the field by its path ("participant.dateOfBirth must be at least 14
 * years ago"); beside a form field a person reads its label and plain words instead:
 * "Date of birth: he must be at least 14". The API keeps its messages; only pages say them this way.
 */
const PLAIN_TAILS: Array<[RegExp, string | ((match: RegExpMatchArray) => string)]> = [
  [/^must be at least (\d+) years ago$/, (match) => `he must be at least ${match[1]}`],
  [/^cannot be in the future$/, 'it cannot be in the future'],
  [/^must be an e-mail address$/, 'enter an e-mail address, such as name@example.org'],
  [/^must be a phone number$/, 'enter a phone number, such as 218-555-0142'],
  [/^must be one of: en, es(, [a-z]+)*$/, 'choose a language from the list'],
  [/^must be (\d+)-(\d+) letters, digits and (.+)$/, (match) => `use ${match[1]} to ${match[2]} letters, digits and ${match[3]}`],
  [/^must be a UUID$/, 'choose one from the list'],
  [/^must be a date.*$/i, 'enter a date'],
  [/^must be a valid ISO 8601 date string$/, 'enter a date'],
];

export function humanFieldMessages(errors: FieldErrors, labels: Record<string, string>): FieldErrors {
  const result: FieldErrors = {};
  for (const [name, messages] of Object.entries(errors)) {
    const label = labels[name];
    result[name] = messages.map((message) => (label ? humanMessage(name, message, label) : message));
  }
  return result;
}

function humanMessage(name: string, message: string, label: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const prefix = [name, last].find((path) => message.startsWith(`${path} `));
  if (!prefix) return message;
  const tail = message.slice(prefix.length + 1);
  for (const [pattern, plain] of PLAIN_TAILS) {
    const match = pattern.exec(tail);
    if (match) return `${label}: ${typeof plain === 'string' ? plain : plain(match)}`;
  }
  return `${label}: ${tail.replace(new RegExp(`\\b(${[name, last].map((path) => path.replace(/\./g, '\\.')).join('|')})\\b`, 'g'), 'it')}`;
}
