import { Module } from '@nestjs/common';
import { HolidayCalendar } from './holiday-calendar.service';
import { ProgramHolidaysRepository } from './program-holidays.repository';

/** The program's closed days. The schedule (sessions) and every business-day deadline read it. */
@Module({ providers: [HolidayCalendar, ProgramHolidaysRepository], exports: [HolidayCalendar] })
export class CalendarModule {}
