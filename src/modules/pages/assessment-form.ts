import { Policy } from '../policies/policy.entity';
import { FormBody, formText } from './page-forms';

/** What the admin typed into the assessment form, kept to fill it again beside its errors. */
export interface AssessmentFormValues {
  levelKey: string;
  assessedOn: string;
  assessedBy: string;
  reason: string;
  factors: Array<{ present: string; note: string }>;
}

/**
 * The form's fields as the API's body: each factor of the policy is a pair of fields
 * (`factor_<n>_present` = yes / no / empty, `factor_<n>_note`), in the policy's order.
 */
export function assessmentFormBody(
  body: FormBody,
  factorNames: string[],
): { plain: Record<string, unknown>; values: AssessmentFormValues } {
  const values: AssessmentFormValues = {
    levelKey: formText(body, 'levelKey'),
    assessedOn: formText(body, 'assessedOn'),
    assessedBy: formText(body, 'assessedBy'),
    reason: formText(body, 'reason'),
    factors: factorNames.map((_, index) => ({
      present: formText(body, `factor_${index}_present`),
      note: formText(body, `factor_${index}_note`),
    })),
  };
  const plain = {
    levelKey: values.levelKey,
    assessedOn: values.assessedOn,
    assessedBy: values.assessedBy,
    reason: values.reason,
    factors: factorNames.map((factor, index) => ({
      factor,
      ...(values.factors[index].present === 'yes' ? { present: true } : values.factors[index].present === 'no' ? { present: false } : {}),
      ...(values.factors[index].note ? { note: values.factors[index].note } : {}),
    })),
  };
  return { plain, values };
}

/** The API's field paths in the form's words, on the fields the page draws. */
function pageMessages(errors: Record<string, string[]>): Partial<Record<string, string[]>> {
  const words: Record<string, string> = {
    levelKey: 'Choose the level',
    assessedOn: 'Enter the date of the assessment',
    assessedBy: 'Enter who assessed him',
    reason: 'Say why this level',
  };
  const result: Partial<Record<string, string[]>> = {};
  for (const [path, messages] of Object.entries(errors)) {
    const factor = /^factors\.(\d+)/.exec(path);
    const key = factor ? `factor_${factor[1]}` : path;
    const plain = messages.map((message) =>
      / is required|must be 2-200|must be a date|must be text/.test(message) && words[key] ? words[key] : message,
    );
    result[key] = [...(result[key] ?? []), ...plain];
  }
  return result;
}

/** The assessment section's form, filled from what was typed (or blank, dated today). */
export function assessmentForm(
  policy: Policy,
  values: AssessmentFormValues | null,
  errors: Record<string, string[]>,
  today: string,
  open: boolean,
) {
  const messages = pageMessages(errors);
  const filled = values ?? {
    levelKey: '',
    assessedOn: today,
    assessedBy: '',
    reason: '',
    factors: policy.assessmentFactors.map(() => ({ present: '', note: '' })),
  };
  return {
    open,
    values: filled,
    errors: messages,
    errorCount: Object.keys(messages).length,
    levels: policy.levels.map((level) => ({
      value: level.key,
      label: `${level.name}: ${level.requiredSessions} weekly sessions within ${level.completeWithinMonths} months`,
      selected: level.key === filled.levelKey,
    })),
    factors: policy.assessmentFactors.map((name, index) => ({
      index,
      name,
      yes: filled.factors[index]?.present === 'yes',
      no: filled.factors[index]?.present === 'no',
      note: filled.factors[index]?.note ?? '',
      messages: messages[`factor_${index}`] ?? null,
    })),
    factorsMessages: messages.factors ?? null,
  };
}
