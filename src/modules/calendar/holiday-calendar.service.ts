import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { HolidayView, ProgramHolidaysRepository } from './program-holidays.repository';
import { programHolidays } from '../../config/us-holidays';

export type { HolidayView } from './program-holidays.repository';

/** How many years ahead the calendar is kept seeded: enough for any order's notice windows. */
const YEARS_AHEAD = 2;

/**
 * The program's calendar of closed days, the one place business days and the weekly schedule
 * read. Seeding adds the year's federal (and the state's) days and never touches a day already
 * listed, so a day the admin renamed or chose to stay open on stays as she left it.
 */
@Injectable()
export class HolidayCalendar implements OnApplicationBootstrap {
  private readonly logger = new Logger(HolidayCalendar.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: ProgramClock,
    private readonly holidays: ProgramHolidaysRepository,
  ) {}

  /**
   * A program that starts without running the seed still knows its holidays before the first
   * group is laid out; the nightly schedule job keeps the coming years seeded after that.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.seedComingYears();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not seed the holiday calendar yet; the nightly job will');
    }
  }

  /** Seeds this year and the next ones; returns how many days were added. */
  async seedComingYears(manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (this.config.programHolidays === 'none') return 0;
    const year = Number(this.clock.today().slice(0, 4));
    const days = Array.from({ length: YEARS_AHEAD + 1 }, (_, index) => programHolidays(year + index, this.config.programState)).flat();
    return this.holidays.addMissing(manager, days);
  }

  async list(from: string, to: string): Promise<HolidayView[]> {
    return this.holidays.list(from, to);
  }

  /** Closes the program on a day (a new one is the program's own); returns the day as it now is. */
  async close(manager: EntityManager, date: string, name: string, userId: string): Promise<HolidayView> {
    return this.holidays.close(manager, date, name, userId);
  }

  /** Keeps the program open on a listed day (it stays listed, so seeding does not close it again). */
  async open(manager: EntityManager, date: string, userId: string): Promise<HolidayView | null> {
    return this.holidays.open(manager, date, userId);
  }
}
