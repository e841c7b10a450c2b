import { EntityManager } from 'typeorm';
import { CurriculumUnit } from '../../modules/curricula/curriculum-unit.entity';
import { Curriculum } from '../../modules/curricula/curriculum.entity';
import { DEFAULT_NOTICE_RECIPIENTS } from '../../modules/policies/policies.service';
import { Policy } from '../../modules/policies/policy.entity';
import { DULUTH_CURRICULUM } from './duluth-curriculum';
import { POLICY_PRESETS } from './policy-presets';

export interface ReferenceData {
  policies: Policy[];
  duluth: Curriculum;
}

/**
 * Policy presets and the Duluth curriculum, which every deployment needs. Idempotent: an existing
 * preset (any version) or curriculum of the same name is left as it is.
 */
export async function seedReferenceData(manager: EntityManager): Promise<ReferenceData> {
  const policies: Policy[] = [];
  for (const preset of POLICY_PRESETS) {
    const current = await manager.findOneBy(Policy, { key: preset.key, isCurrent: true });
    policies.push(
      current ??
        (await manager.save(
          manager.create(Policy, {
            ...preset,
            version: 1,
            isCurrent: true,
            source: preset.source ?? null,
            leftEarlyCounts: preset.leftEarlyCounts ?? false,
            escalateAfterBusinessDays: preset.escalateAfterBusinessDays ?? 3,
            probationResponseBusinessDays: preset.probationResponseBusinessDays ?? 10,
            courtResponseBusinessDays: preset.courtResponseBusinessDays ?? 22,
            progressReportDayOfMonth: preset.progressReportDayOfMonth ?? null,
            victimNoticeEnrollmentBusinessDays: preset.victimNoticeEnrollmentBusinessDays ?? null,
            victimNoticeDischargeHours: preset.victimNoticeDischargeHours ?? null,

            levels: preset.levels ?? [],
            assessmentFactors: preset.assessmentFactors ?? [],
            noticeRecipients: DEFAULT_NOTICE_RECIPIENTS,
            createdById: null,
          }),
        )),
    );
  }

  let duluth = await manager.findOneBy(Curriculum, { name: DULUTH_CURRICULUM.name });
  if (!duluth) {
    duluth = await manager.save(manager.create(Curriculum, { name: DULUTH_CURRICULUM.name, description: DULUTH_CURRICULUM.description }));
    let position = 0;
    const curriculumId = duluth.id;
    const units = DULUTH_CURRICULUM.themes.flatMap(({ theme, titles }) =>
      titles.map((title) => manager.create(CurriculumUnit, { curriculumId, position: ++position, theme, title })),
    );
    await manager.save(units);
  }
  return { policies, duluth };
}
