import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { PoliciesService } from '../policies/policies.service';
import { describeValue, POLICY_FIELD_WORDS, POLICY_RULE_FIELDS, policyChanges, PolicyRuleField } from '../policies/policy-diff';
import { PolicyFieldsDto } from '../policies/policy-fields.dto';
import { Policy, VICTIM_NOTIFICATION_RULES } from '../policies/policy.entity';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { errorLinks } from './page-format';
import { domainFieldErrors, FieldErrors, fieldsOf, FormBody, formText, isFormProblem, validateForm } from './page-forms';
import { PageRenderer } from './page-renderer';
import { dollarsToCents, feeScheduleRows } from './fee-forms';

const REFERENCE_LIMIT = 200;
/** How many versions stand side by side (newest first); older ones are listed below. */
const VERSIONS_SIDE_BY_SIDE = 4;

const SWITCH_FIELDS = ['leftEarlyCounts', 'feesRequired', 'protectedPartyAdminAccess'] as const;
/** Every rule that is a number, in the order a reader checks them: all but the words, the switches and the victim-notification choice. */
type NumberField = Exclude<PolicyRuleField, 'name' | 'source' | 'victimNotification' | (typeof SWITCH_FIELDS)[number]>;
const NOT_NUMBERS: readonly PolicyRuleField[] = ['name', 'source', 'victimNotification', ...SWITCH_FIELDS];
const NUMBER_FIELDS = POLICY_RULE_FIELDS.filter((field): field is NumberField => !NOT_NUMBERS.includes(field));
const NUMBER_HINTS: Partial<Record<NumberField, string>> = {
  progressReportDayOfMonth: 'Leave empty to report every so many days (above)',
  victimNoticeEnrollmentBusinessDays: 'Business days from his enrollment (Florida 65H-2.016: 3). Leave empty where no rule sets one',
  victimNoticeDischargeHours: 'Hours from his completion or termination (Florida 65H-2.016: 24). Leave empty where no rule sets one',
};
/** Number fields that may be left empty: none set (no day of the month, no victim-notification clock). */
const OPTIONAL_NUMBER_FIELDS: ReadonlyArray<NumberField> = [
  'progressReportDayOfMonth',
  'victimNoticeEnrollmentBusinessDays',
  'victimNoticeDischargeHours',
];

const VICTIM_NOTIFICATION_LABELS: Record<string, string> = {
  none: 'She is not told',
  on_request: 'She is told if she asked to be (on request)',
  unless_declined: 'She is told unless she declined',
};

/** The fees, typed in dollars; each sets its field in cents. Left out of a post, a field keeps the current version's value. */
const MONEY_FIELDS = [
  { name: 'sessionFee', cents: 'sessionFeeCents', label: 'Fee per session attended ($)', hint: null },
  { name: 'intakeFee', cents: 'intakeFeeCents', label: 'Intake fee ($), charged at his first session', hint: null },
  {
    name: 'feeTotalCap',
    cents: 'feeTotalCapCents',
    label: 'Total fees capped at ($)',
    hint: 'Empty: no cap. The sliding scale is set through the API.',
  },
] as const;

function dollarsOf(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2);
}

/** The money fields of a post as cents (absent: not sent), or a message per field. */
function moneyOf(body: FormBody): { cents: Record<string, number | null>; errors: FieldErrors } {
  const cents: Record<string, number | null> = {};
  const errors: FieldErrors = {};
  for (const field of MONEY_FIELDS) {
    if (!(field.name in body)) continue;
    const text = formText(body, field.name);
    const value = text === '' ? (field.name === 'feeTotalCap' ? null : 0) : dollarsToCents(text);
    if (value !== null && value < 0) errors[field.name] = [`“${field.label}” cannot be negative`];
    else if (value === null && text !== '') errors[field.name] = [`“${field.label}” must be an amount in dollars, e.g. 40.00`];
    else cents[field.cents] = value;
  }
  return { cents, errors };
}

/** "24" → 24, so the DTO checks a number as the API would receive it; anything else stays text and is refused. */
function formInteger(value: string): number | string {
  return /^-?\d{1,6}$/.test(value) ? Number(value) : value;
}

/** A version's values as the form shows them. */
function formValuesOf(policy: Policy): Record<string, string> {
  const values: Record<string, string> = { name: policy.name, source: policy.source ?? '', victimNotification: policy.victimNotification };
  for (const field of NUMBER_FIELDS) values[field] = policy[field] === null ? '' : String(policy[field]);
  for (const field of SWITCH_FIELDS) values[field] = policy[field] ? 'on' : '';
  for (const field of MONEY_FIELDS) values[field.name] = dollarsOf(policy[field.cents]);
  return values;
}

/** Policies: each one's versions side by side with what changed, and a new version from the current one. */
@PagesController('admin/policies')
@PageRoles(Role.Admin)
export class PolicyPagesController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const { items } = await this.policies.list(REFERENCE_LIMIT, 0, {});
    const counts = await this.policies.referralCounts(items.map((policy) => policy.id));
    this.renderer.render(req, res, 'admin-policies', {
      title: 'Policies',
      policies: items.map((policy) => ({ ...fieldsOf(policy), referrals: counts[policy.id] ?? 0 })),
    });
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('created') created?: string,
  ): Promise<void> {
    const policy = await this.policies.get(id);
    const versions = await this.policies.versions(policy.key);
    const counts = await this.policies.referralCounts(versions.map((version) => version.id));
    // The chosen version and the ones just before it; the newest first, as in the list.
    const at = versions.findIndex((version) => version.id === id);
    const shown = versions.slice(Math.max(0, at - 1), Math.max(0, at - 1) + VERSIONS_SIDE_BY_SIDE);
    const columns = shown.map((version) => {
      const previous = versions.find((other) => other.version === version.version - 1) ?? null;
      return {
        id: version.id,
        version: version.version,
        isCurrent: version.isCurrent,
        chosen: version.id === id,
        createdAt: version.createdAt,
        referrals: counts[version.id] ?? 0,
        changes: previous ? policyChanges(previous, version) : null,
      };
    });
    const rows = POLICY_RULE_FIELDS.map((field) => ({
      label: POLICY_FIELD_WORDS[field].label,
      cells: shown.map((version) => {
        const previous = versions.find((other) => other.version === version.version - 1);
        return {
          value: describeValue(field, version[field]),
          changed: previous ? policyChanges(previous, version).some((change) => change.field === field) : false,
        };
      }),
    }));
    // The fees beside the rules, marked where a version changed them.
    const feeRows = feeScheduleRows(shown[0]).map((row, index) => ({
      label: row.label,
      cells: shown.map((version) => {
        const previous = versions.find((other) => other.version === version.version - 1);
        const value = feeScheduleRows(version)[index].value;
        return { value, changed: previous ? feeScheduleRows(previous)[index].value !== value : false };
      }),
    }));
    rows.push(...feeRows);

    // Levels and assessment factors read as one line each; shown only for a policy that has them.
    const levelWords = (version: (typeof versions)[number]) =>
      version.levels.length
        ? version.levels
            .map((level) => `${level.name}: ${level.requiredSessions} sessions, ${level.completeWithinMonths} months`)
            .join('; ')
        : 'none (one fixed length)';
    const factorWords = (version: (typeof versions)[number]) =>
      version.assessmentFactors.length ? version.assessmentFactors.join('; ') : 'none';
    if (versions.some((version) => version.levels.length)) {
      for (const [label, words] of [
        ['Levels (set by the intake assessment)', levelWords],
        ['Assessment factors', factorWords],
      ] as const) {
        rows.push({
          label,
          cells: shown.map((version) => {
            const previous = versions.find((other) => other.version === version.version - 1);
            return { value: words(version), changed: previous ? words(previous) !== words(version) : false };
          }),
        });
      }
    }
    const current = versions.find((version) => version.isCurrent) ?? versions[0];
    this.renderer.render(req, res, 'admin-policy', {
      title: `${current.name}: versions`,
      policy,
      current,
      columns,
      rows,
      older: versions
        .filter((version) => !shown.includes(version))
        .map((version) => ({ id: version.id, version: version.version, createdAt: version.createdAt, referrals: counts[version.id] ?? 0 })),
      created: created === '1',
    });
  }

  @Get(':id/new-version')
  async newVersionForm(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const current = await this.currentOf(id);
    await this.renderForm(req, res, current, { values: formValuesOf(current), errors: {} });
  }

  @PageFormPost(':id/new-version')
  async createVersion(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const current = await this.currentOf(id);
    const values: Record<string, string> = {
      name: formText(body, 'name'),
      source: formText(body, 'source'),
      victimNotification: formText(body, 'victimNotification'),
    };
    for (const field of NUMBER_FIELDS) values[field] = formText(body, field);
    for (const field of SWITCH_FIELDS) values[field] = formText(body, field);
    const basedOn = Number(formText(body, 'basedOnVersion'));
    const plain: Record<string, unknown> = { name: values.name, victimNotification: values.victimNotification };
    // Left empty, the optional ones are absent, as when an API client leaves them out.
    if (values.source) plain.source = values.source;
    for (const field of NUMBER_FIELDS)
      if (values[field] || !OPTIONAL_NUMBER_FIELDS.includes(field)) plain[field] = formInteger(values[field]);
    for (const field of SWITCH_FIELDS) plain[field] = values[field] === 'on';
    // Not on the form: which of his steps she hears of stays as the current version has it.
    plain.victimNotificationEvents = current.victimNotificationEvents;
    for (const field of MONEY_FIELDS) if (field.name in body) values[field.name] = formText(body, field.name);
    const money = moneyOf(body);
    Object.assign(plain, money.cents);
    const form = await validateForm(PolicyFieldsDto, plain);
    if (form.errors || Object.keys(money.errors).length) {
      const errors = { ...(form.errors ? plainPolicyMessages(moneyFieldNames(form.errors), values) : {}), ...money.errors };
      return this.renderForm(req, res, current, { values, errors }, 400);
    }
    const changes = policyChanges(current, {
      ...fieldsOf(current),
      ...fieldsOf(form.value),
      source: form.value.source ?? null,
      progressReportDayOfMonth: form.value.progressReportDayOfMonth ?? null,
      victimNoticeEnrollmentBusinessDays: form.value.victimNoticeEnrollmentBusinessDays ?? null,
      victimNoticeDischargeHours: form.value.victimNoticeDischargeHours ?? null,
    });
    const feesChanged = Object.entries(money.cents).some(([field, cents]) => current[field as 'sessionFeeCents'] !== cents);
    if (!changes.length && !feesChanged)
      return this.renderForm(
        req,
        res,
        current,
        {
          values,
          errors: {},
          problem: `Nothing was changed: a new version needs at least one rule that differs from version ${current.version}.`,
        },
        422,
      );
    try {
      const created = await this.policies.createNextVersion(current.id, form.value, user.id, {
        basedOnVersion: Number.isInteger(basedOn) ? basedOn : current.version,
      });
      res.redirect(303, `/admin/policies/${created.id}?created=1`);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      const fields = domainFieldErrors(error);
      const errors = fields ? plainRuleConflicts(fields, values) : {};
      await this.renderForm(
        req,
        res,
        current,
        { values, errors, problem: fields ? null : error.message },
        error.kind === 'conflict' ? 409 : 422,
      );
    }
  }

  /** The current version of the policy a version belongs to: new versions are made from it. */
  private async currentOf(id: string): Promise<Policy> {
    const policy = await this.policies.get(id);
    const versions = await this.policies.versions(policy.key);
    return versions.find((version) => version.isCurrent) ?? versions[0];
  }

  private async renderForm(
    req: PageRequest,
    res: Response,
    current: Policy,
    form: { values: Record<string, string>; errors: FieldErrors; problem?: string | null },
    status = 200,
  ): Promise<void> {
    const counts = await this.policies.referralCounts([current.id]);
    this.renderer.render(
      req,
      res,
      'admin-policy-version',
      {
        title: `New version of ${current.name}`,
        current,
        nextVersion: current.version + 1,
        referrals: counts[current.id] ?? 0,
        values: form.values,
        errors: form.errors,
        problem: form.problem ?? null,
        errorCount: Object.keys(form.errors).length,
        errorLinks: errorLinks(form.errors),
        victimNotifications: VICTIM_NOTIFICATION_RULES.map((value) => ({
          value,
          label: VICTIM_NOTIFICATION_LABELS[value],
          selected: value === form.values.victimNotification,
        })),
        numbers: NUMBER_FIELDS.map((field) => ({
          name: field,
          label: POLICY_FIELD_WORDS[field].label,
          value: form.values[field],
          messages: form.errors[field],
          required: !OPTIONAL_NUMBER_FIELDS.includes(field),
          hint: NUMBER_HINTS[field] ?? null,
        })),
        money: MONEY_FIELDS.map((field) => ({
          name: field.name,
          label: field.label,
          hint: field.hint,
          value: form.values[field.name],
          messages: form.errors[field.name],
        })),
        switches: SWITCH_FIELDS.map((field) => ({
          name: field,
          label: POLICY_FIELD_WORDS[field].label,
          checked: form.values[field] === 'on',
        })),
      },
      status,
    );
  }
}

/** The rules that contradict each other (the service's POLICY_INCONSISTENT), in the form's words. */
function plainRuleConflicts(fields: FieldErrors, values: Record<string, string>): FieldErrors {
  const plain: FieldErrors = { ...fields };
  if ('maxUnexcusedAbsences' in plain)
    plain.maxUnexcusedAbsences = ['Unexcused absences allowed cannot be more than the absences allowed, excused or not'];
  if ('requiredSessions' in plain)
    plain.requiredSessions = [
      `${values.requiredSessions} sessions cannot all be held, at one a week, within ${values.completeWithinMonths} months`,
    ];
  return plain;
}

/** The DTO names the fees in cents; the form, in dollars. */
function moneyFieldNames(errors: FieldErrors): FieldErrors {
  const renamed: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) {
    const money = MONEY_FIELDS.find((candidate) => candidate.cents === field);
    renamed[money ? money.name : field] = money ? [`“${money.label}” is too large`] : messages;
  }
  return renamed;
}

/** "maxAbsences must not be greater than 100" is the API's; the form names the rule it is about. */
function plainPolicyMessages(errors: FieldErrors, values: Record<string, string>): FieldErrors {
  const plain: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) {
    const words = (POLICY_FIELD_WORDS as Partial<Record<string, (typeof POLICY_FIELD_WORDS)[PolicyRuleField]>>)[field];
    if (!words || field === 'name' || field === 'source' || MONEY_FIELDS.some((money) => money.name === field)) {
      plain[field] = field === 'name' ? ['Enter the policy’s name (3 to 200 characters)'] : messages;
      continue;
    }
    const bounds = messages.map((message) => /(less|greater) than (-?\d+)/.exec(message)).find(Boolean);
    if (!values[field]) plain[field] = [`Enter a whole number for “${words.label}”`];
    else if (!/^-?\d+$/.test(values[field])) plain[field] = [`“${words.label}” must be a whole number`];
    else if (bounds) plain[field] = [`“${words.label}” must be ${bounds[1] === 'less' ? 'at least' : 'at most'} ${bounds[2]}`];
    else plain[field] = [`“${words.label}” must be a whole number`];
  }
  return plain;
}
