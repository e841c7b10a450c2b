/** Every Bull queue, by name; a queue is registered only through this enum. */
export enum QueueName {
  Notices = 'notices',
  Maintenance = 'maintenance',
}

/** Every job kind; a worker refuses to start if one has no handler. */
export enum JobName {
  RenderNotice = 'render-notice',
  SendNotice = 'send-notice',
  /** Every mail that is not a compliance notice (see mail/mail-kind). */
  SendMail = 'send-mail',
  DailyComplianceSweep = 'daily-compliance-sweep',
  GenerateSessions = 'generate-sessions',
  SendParticipantMessages = 'send-participant-messages',
}

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.RenderNotice]: QueueName.Notices,
  [JobName.SendNotice]: QueueName.Notices,
  [JobName.SendMail]: QueueName.Notices,
  [JobName.DailyComplianceSweep]: QueueName.Maintenance,
  [JobName.GenerateSessions]: QueueName.Maintenance,
  [JobName.SendParticipantMessages]: QueueName.Maintenance,
};
