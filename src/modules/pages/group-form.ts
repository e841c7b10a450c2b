import { FieldErrors, PageForm, plainEmptyMessages } from './page-forms';

/** A group's form, new or one group's own: its fields as typed and the facilitators ticked. */
export interface GroupForm extends PageForm {
  facilitatorIds: string[];
}

/** What both group forms say of a field left empty; the new group's form has a few fields more. */
export const GROUP_EMPTY_MESSAGES: Record<string, string> = {
  name: 'Enter the name of the group',
  startTime: 'Enter the time it starts',
  durationMinutes: 'Enter how many minutes it lasts',
  capacity: 'Enter how many men it can take',
  location: 'Enter where it meets',
  facilitatorIds: 'Choose at least one facilitator',
};

/** The errors with a plain message for each field left empty (no facilitator ticked among them). */
export function plainGroupErrors(
  errors: FieldErrors,
  form: Pick<GroupForm, 'values' | 'facilitatorIds'>,
  whenEmpty: Record<string, string>,
): FieldErrors {
  return plainEmptyMessages(errors, { ...form.values, facilitatorIds: form.facilitatorIds.join(',') }, whenEmpty);
}
