import { Module } from '@nestjs/common';
import { HolidayCalendar } from './holiday-calendar.service';

/** The program's closed days. The schedule (sessions) and every business-day deadline read it. */
@Module({ providers: [HolidayCalendar], exports: [HolidayCalendar] })
export class CalendarModule {}
