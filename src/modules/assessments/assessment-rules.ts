import { PolicyLevel } from '../policies/policy-level';
import { AssessmentFactorAnswer } from './referral-assessment.entity';
import { RecordAssessmentDto } from './record-assessment.dto';

/**
 * What an assessment must say against its policy version: a level the policy lists, every factor
 * the policy lists answered once (yes/no or a note) and no other, a date between the order and
 * today. Field-named messages, so the form can say them beside the field.
 */
export function assessmentProblems(
  input: RecordAssessmentDto,
  policy: { levels: PolicyLevel[]; assessmentFactors: string[] },
  orderedOn: string,
  today: string,
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (!policy.levels.length) {
    fields.levelKey = ['this order’s policy has no levels: its length is fixed'];
  } else if (!policy.levels.some((level) => level.key === input.levelKey)) {
    fields.levelKey = [`levelKey must be one of the policy’s levels: ${policy.levels.map((level) => level.key).join(', ')}`];
  }
  if (input.assessedOn > today) fields.assessedOn = ['assessedOn cannot be in the future'];
  else if (input.assessedOn < orderedOn) fields.assessedOn = ['assessedOn cannot be before the order'];
  const listed = new Set(policy.assessmentFactors);
  input.factors.forEach((answer, index) => {
    if (!listed.has(answer.factor))
      fields[`factors.${index}.factor`] = [`"${answer.factor}" is not one of the policy’s assessment factors`];
    else if (answer.present === undefined && !answer.note)
      fields[`factors.${index}`] = [`${answer.factor}: answer yes or no, or write a note`];
  });
  const answered = new Set(input.factors.map((answer) => answer.factor));
  const missing = policy.assessmentFactors.filter((factor) => !answered.has(factor));
  if (missing.length) fields.factors = [`factors must answer every factor the policy lists; missing: ${missing.join(', ')}`];
  return fields;
}

/** The answers in the policy's order, as stored. */
export function storedAnswers(input: RecordAssessmentDto, factorOrder: string[]): AssessmentFactorAnswer[] {
  const byName = new Map(input.factors.map((answer) => [answer.factor, answer]));
  return factorOrder.map((factor) => ({ factor, present: byName.get(factor)?.present ?? null, note: byName.get(factor)?.note || null }));
}
