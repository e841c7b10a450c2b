import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { CloseDayDto, HolidayDateParam, ListHolidaysQuery } from './holiday.dto';
import { HolidaysService } from './holidays.service';

/** The program's closed days: anyone on staff may read them; the admin keeps them. */
@ApiTags('holidays')
@Controller('api/v1/holidays')
export class HolidaysController {
  constructor(private readonly holidays: HolidaysService) {}

  @Get()
  list(@Query() query: ListHolidaysQuery) {
    return this.holidays.list(query.from, query.to);
  }

  @Put(':date')
  @Roles(Role.Admin)
  close(@Param() params: HolidayDateParam, @Body() body: CloseDayDto, @CurrentUser() user: SignedInUser) {
    return this.holidays.close(user, params.date, body.name);
  }

  @Delete(':date')
  @Roles(Role.Admin)
  open(@Param() params: HolidayDateParam, @CurrentUser() user: SignedInUser) {
    return this.holidays.open(user, params.date);
  }
}
