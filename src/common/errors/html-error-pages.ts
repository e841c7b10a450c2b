import { ExceptionFilter } from '@nestjs/common';
import { Request } from 'express';

/** Token for the pages' error renderer, which the global filter uses for browsers. */
export const HTML_ERROR_PAGES = 'HTML_ERROR_PAGES';

const MACHINE_PATHS = /^\/(api|health|docs|docs-json|admin\/queues)(\/|$)/;

/** A browser asking for a page (not the API, health, docs or the queue dashboard). */
export function wantsHtmlPage(req: Request): boolean {
  return !MACHINE_PATHS.test(req.path) && req.accepts(['json', 'html']) === 'html';
}

export type HtmlErrorPages = ExceptionFilter;
