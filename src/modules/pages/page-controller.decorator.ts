import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { PageAuthGuard } from './page-auth.guard';
import { PageExceptionFilter } from './page-exception.filter';

/**
 * A controller of server-rendered pages: kept out of the API docs, not behind the API's bearer
 * guard but the pages' own (session cookie, CSRF on POST), and its errors drawn as pages. Who may
 * open it is said beside it with PageRoles.
 */
export function PagesController(path?: string): ClassDecorator {
  return applyDecorators(
    ApiExcludeController(),
    Public(),
    path === undefined ? Controller() : Controller(path),
    UseGuards(PageAuthGuard),
    UseFilters(PageExceptionFilter),
  );
}
