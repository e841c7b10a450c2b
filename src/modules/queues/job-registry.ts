import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobName } from './queue-names';

/** The job kinds that no handler takes, given the kinds the handlers declare. */
export function unhandledJobs(handled: Iterable<JobName>): JobName[] {
  const taken = new Set(handled);
  return Object.values(JobName).filter((name) => !taken.has(name));
}

/**
 * Finds every @JobHandler among the worker's providers at start-up; a job kind without one fails
 * the start, so a lost handler is found by the deploy and not by the first notice that waits.
 */
@Injectable()
export class JobRegistry implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  handled(): JobName[] {
    const names: JobName[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, instance[method] as () => unknown);
        if (name) names.push(name);
      }
    }
    return names;
  }

  onApplicationBootstrap(): void {
    const missing = unhandledJobs(this.handled());
    if (missing.length) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
  }
}
