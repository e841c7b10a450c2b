import { UnprocessableError } from '../../common/errors/domain-error';
import { PasswordContext, passwordProblems } from './password-policy';

/** Refuses a password the policy finds weak, as a 422 with the message beside the field. */
export function assertAcceptablePassword(password: string, context: PasswordContext, field = 'password'): void {
  const problems = passwordProblems(password, context);
  if (problems.length) throw new UnprocessableError('WEAK_PASSWORD', problems[0], { fields: { [field]: problems } });
}
