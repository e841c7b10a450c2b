/** Every Bull queue, by name; a queue is registered only through this enum. */
export enum QueueName {
  Notices = 'notices',
  Maintenance = 'maintenance',
}

/** Every job kind; a worker refuses to start if one has no handler. */
export enum JobName {
  RenderNotice = 'render-notice',
  SendNotice = 'send-notice',
  DailyComplianceSweep = 'daily-compliance-sweep',
  GenerateSessions = 'generate-sessions',
}

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.RenderNotice]: QueueName.Notices,
  [JobName.SendNotice]: QueueName.Notices,
  [JobName.DailyComplianceSweep]: QueueName.Maintenance,
  [JobName.GenerateSessions]: QueueName.Maintenance,
};
