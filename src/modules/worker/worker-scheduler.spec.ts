import { unhandledJobs } from '../queues/job-registry';
import { JobName } from '../queues/queue-names';

describe('job handler registry', () => {
  it('names every job kind that no handler takes', () => {
    expect(unhandledJobs([JobName.RenderNotice, JobName.GenerateSessions])).toEqual([
      JobName.SendNotice,
      JobName.SendMail,
      JobName.DailyComplianceSweep,
      JobName.SendParticipantMessages,
    ]);
    expect(unhandledJobs(Object.values(JobName))).toEqual([]);
  });
});
