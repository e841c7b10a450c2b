import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays } from '../../common/dates';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { HolidayCalendar, HolidayView } from '../calendar/holiday-calendar.service';
import { SessionScheduleService } from '../groups/session-schedule.service';

export interface HolidayChange extends HolidayView {
  /** Sessions from today on that the change cancelled or brought back. */
  sessionsClosed: number;
  sessionsReopened: number;
}

/**
 * The admin's side of the calendar: closing the program on a day cancels that day's unmarked
 * sessions from today on, opening it brings them back, in one transaction with the audit entry.
 */
@Injectable()
export class HolidaysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendar: HolidayCalendar,
    private readonly schedule: SessionScheduleService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
  ) {}

  async list(from?: string, to?: string): Promise<{ items: HolidayView[] }> {
    const start = from ?? this.clock.today();
    const end = to ?? addDays(start, 366);
    if (end < start)
      throw new UnprocessableError('BAD_RANGE', 'to must not be before from', { fields: { to: ['to must not be before from'] } });
    return { items: await this.calendar.list(start, end) };
  }

  async close(user: SignedInUser, date: string, name: string): Promise<HolidayChange> {
    return this.dataSource.transaction(async (manager) => {
      const day = await this.calendar.close(manager, date, name, user.id);
      const { closed, reopened } = await this.schedule.applyCalendar(manager);
      await this.schedule.assignUnits(manager);
      await this.audit.record(
        { action: 'holiday.closed', recordType: 'program_holiday', details: { date, name, sessionsClosed: closed } },
        manager,
      );
      return { ...day, sessionsClosed: closed, sessionsReopened: reopened };
    });
  }

  async open(user: SignedInUser, date: string): Promise<HolidayChange> {
    return this.dataSource.transaction(async (manager) => {
      const day = await this.calendar.open(manager, date, user.id);
      if (!day) throw new NotFoundError('holiday');
      const { closed, reopened } = await this.schedule.applyCalendar(manager);
      await this.schedule.assignUnits(manager);
      await this.audit.record(
        { action: 'holiday.opened', recordType: 'program_holiday', details: { date, sessionsReopened: reopened } },
        manager,
      );
      return { ...day, sessionsClosed: closed, sessionsReopened: reopened };
    });
  }
}
