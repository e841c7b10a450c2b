import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { createValidationPipe, VALIDATION_PIPE_OPTIONS } from '../../common/errors/validation-errors';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { AttendanceMarkDto, checkMarkAttendance, MarkAttendanceDto } from './mark-attendance.dto';

/**
 * The roster save's hand check (checkMarkAttendance) against the DTO's own decorators, over
 * generated bodies: valid rosters of up to 60 men and every way of being a little wrong (a bad or repeated
 * enrollmentId, an unknown status, notes of 499–501 characters once trimmed, with surrogate pairs
 * and padding, null and non-string notes, unknown fields, too few or too many marks, marks that are
 * not objects, a body that is not one). Whatever the check accepts, the decorators' pass accepts
 * and makes the same instance of; and the global pipe answers every body exactly as the pass alone
 * does — the same instance, or the same 400 with the same field messages.
 */
const metadata: ArgumentMetadata = { type: 'body', metatype: MarkAttendanceDto, data: undefined };
const passAlone = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
const globalPipe = createValidationPipe();

/** What a pipe made of a body: the instance (its classes named), or the 400's body. */
async function outcome(pipe: ValidationPipe, body: unknown): Promise<unknown> {
  try {
    const made = (await pipe.transform(structuredClone(body), metadata)) as unknown;
    return { made: described(made) };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { refused: error.getResponse() };
  }
}

/** The value with each object's class name beside its fields, so that toEqual compares classes too. */
function described(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(described);
  if (typeof value !== 'object' || value === null) return value;
  const fields = Object.entries(value).filter(([, field]) => field !== undefined);
  return { class: value.constructor.name, ...Object.fromEntries(fields.map(([key, field]) => [key, described(field)])) };
}

const uuids = ['3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', '00000000-0000-0000-0000-000000000000', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'];
/** A distinct valid UUID for each index. */
const uuidOf = (index: number) => `3f2b8c1e-4d5a-4b6c-8d7e-${index.toString(16).padStart(12, '0')}`;
const enrollmentId = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.constantFrom(...uuids) },
  { weight: 1, arbitrary: fc.constantFrom('not-a-uuid', '', ' 3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', '3f2b8c1e4d5a4b6c8d7e9f0a1b2c3d4e') },
  { weight: 1, arbitrary: fc.constantFrom(null, 42, true, {}, []) },
);
const status = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...Object.values(AttendanceStatus)) },
  { weight: 1, arbitrary: fc.constantFrom('Present', 'absent', '', 'toString', '__proto__') },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, ['present'], { present: true }) },
);
const padding = fc.constantFrom('', ' ', '\n\t ', '\u00a0');
const noteText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc
    .constantFrom(499, 500, 501)
    .chain((length) =>
      fc
        .tuple(padding, fc.constantFrom('a', 'é', '😀', '\ufe0f'), padding)
        .map(([before, unit, after]) => before + unit.repeat(length) + after),
    ),
);
const note = fc.oneof({ weight: 6, arbitrary: noteText }, { weight: 1, arbitrary: fc.constantFrom(null, 7, false, ['x'], { text: 'x' }) });
const mark = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.record({ enrollmentId, status, note }, { requiredKeys: [] }),
        fc.option(fc.constantFrom('referralId', 'constructor', '__proto__', 'Note'), { nil: undefined }),
      )
      // JSON.parse makes "__proto__" an own field, as a parsed body has it.
      .map(([fields, extra]) => (extra === undefined ? fields : { ...fields, ...(JSON.parse(`{"${extra}":"x"}`) as object) })),
  },
  {
    weight: 20,
    arbitrary: fc.record(
      { enrollmentId: fc.uuid(), status: fc.constantFrom(...Object.values(AttendanceStatus)), note },
      { requiredKeys: ['enrollmentId', 'status'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 'present', 3, [], [{ enrollmentId: uuids[0], status: 'present' }]) },
);
const marks = fc.oneof(
  { weight: 8, arbitrary: fc.array(mark, { minLength: 1, maxLength: 18 }) },
  { weight: 1, arbitrary: fc.array(mark, { minLength: 59, maxLength: 62 }) },
  { weight: 1, arbitrary: fc.constantFrom([], null, 'present', { 0: { enrollmentId: uuids[0], status: 'present' } }) },
);
/** A roster a facilitator sends: distinct men, known statuses, a note now and then (some at the length's edge). */
const roster = fc.uniqueArray(
  fc.record(
    { enrollmentId: fc.uuid(), status: fc.constantFrom(...Object.values(AttendanceStatus)), note: noteText },
    { requiredKeys: ['enrollmentId', 'status'] },
  ),
  { minLength: 1, maxLength: 60, selector: (entry) => entry.enrollmentId },
);
/** The same roster with one thing wrong: one mark made a little wrong, one man marked twice, or a full roster and one more. */
const flawed = fc
  .tuple(roster, mark, fc.nat(), fc.nat(), fc.constantFrom('wrong', 'repeat', 'one more'))
  .map(([list, wrong, at, from, flaw]) => {
    const copy = list.map((entry) => ({ ...entry }));
    if (flaw === 'one more')
      return Array.from({ length: 61 }, (_, index) => ({ ...copy[index % copy.length], enrollmentId: uuidOf(index) }));
    if (flaw === 'repeat' && copy.length > 1) copy[at % copy.length].enrollmentId = copy[from % copy.length].enrollmentId;
    else copy[at % copy.length] = wrong as (typeof copy)[number];
    return copy;
  });
const body = fc.oneof(
  { weight: 5, arbitrary: roster.map((list) => ({ marks: list })) },
  { weight: 5, arbitrary: flawed.map((list) => ({ marks: list })) },
  { weight: 5, arbitrary: marks.map((list) => ({ marks: list })) },
  { weight: 1, arbitrary: marks.map((list) => ({ marks: list, sessionNote: 'x' })) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'marks', [], [{ marks: [] }], {}) },
);

describe('the roster save body: the hand check against the DTO', () => {
  it('accepts only what the decorators accept, as they make it, and the global pipe answers every body as the pass alone', async () => {
    let accepted = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(body, async (generated) => {
        runs += 1;
        const checked = checkMarkAttendance(structuredClone(generated));
        const pass = await outcome(passAlone, generated);
        if (checked !== undefined) {
          accepted += 1;
          expect({ made: described(checked) }).toEqual(pass);
        }
        expect(await outcome(globalPipe, generated)).toEqual(pass);
      }),
      { numRuns: 3000, seed: Number(process.env.ROSTER_BODY_SEED ?? Date.now()) },
    );
    // Both sides are exercised: many bodies take the hand check, many the pass.
    expect(accepted).toBeGreaterThan(runs / 10);
    expect(accepted).toBeLessThan(runs);
  });

  it('a valid roster: the marks as instances, the note trimmed, null kept', () => {
    const made = checkMarkAttendance({
      marks: [
        { enrollmentId: uuids[0], status: 'present', note: '  came late  ' },
        { enrollmentId: uuids[1], status: 'removed', note: null },
        { enrollmentId: uuids[2], status: 'late' },
      ],
    });
    expect(made).toBeInstanceOf(MarkAttendanceDto);
    expect(made?.marks.every((entry) => entry instanceof AttendanceMarkDto)).toBe(true);
    expect(made?.marks.map((entry) => entry.note)).toEqual(['came late', null, undefined]);
  });

  it('anything it is not sure of goes to the pass: a repeated enrollment, a 501-character note, an unknown field', () => {
    expect(
      checkMarkAttendance({
        marks: [
          { enrollmentId: uuids[0], status: 'present' },
          { enrollmentId: uuids[0], status: 'late' },
        ],
      }),
    ).toBeUndefined();
    expect(checkMarkAttendance({ marks: [{ enrollmentId: uuids[0], status: 'present', note: 'x'.repeat(501) }] })).toBeUndefined();
    expect(checkMarkAttendance({ marks: [{ enrollmentId: uuids[0], status: 'present', referralId: uuids[1] }] })).toBeUndefined();
  });
});
