import { Injectable } from '@nestjs/common';
import { AppConfig } from './app-config';
import { todayIn } from '../common/dates';

/** "Today" in the program's time zone; tests may pin it to replay a calendar. */
@Injectable()
export class ProgramClock {
  private pinnedToday: string | null = null;

  constructor(private readonly config: AppConfig) {}

  today(): string {
    return this.pinnedToday ?? todayIn(this.config.programTimeZone);
  }

  /** The program's IANA time zone, in which its calendar and business days are counted. */
  get timeZone(): string {
    return this.config.programTimeZone;
  }

  now(): Date {
    return new Date();
  }

  /** For tests only: make today() answer this date until unpinned with null. */
  pinToday(date: string | null): void {
    this.pinnedToday = date;
  }
}
