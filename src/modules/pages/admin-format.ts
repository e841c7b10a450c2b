import { AgencyKind } from '../agencies/agency.entity';

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  [AgencyKind.Court]: 'Court',
  [AgencyKind.Probation]: 'Probation department',
  [AgencyKind.Program]: 'The program',
  [AgencyKind.Advocacy]: 'Advocacy (victim services)',
};
