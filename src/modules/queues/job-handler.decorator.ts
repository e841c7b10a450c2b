import { Process } from '@nestjs/bull';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { JobName } from './queue-names';

export const JOB_HANDLER = 'throughline:job-handler';

/**
 * Marks the method that runs one kind of job. It registers the Bull handler and leaves our own
 * mark, which the worker reads at start-up to refuse to run with a job kind nobody handles.
 */
export function JobHandler(name: JobName, options: { concurrency?: number } = {}): MethodDecorator {
  return applyDecorators(SetMetadata(JOB_HANDLER, name), Process({ name, concurrency: options.concurrency }));
}
