import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { IS_PUBLIC } from '../../src/common/auth/auth.decorators';
import { PageAuthGuard } from '../../src/modules/pages/page-auth.guard';
import { Role } from '../../src/common/auth/role.enum';
import { Staff } from '../helpers/fixtures';
import { startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { ACCESS_TABLE, PAGE_ACCESS_TABLE, ROLES } from './access-table';
import { pageSession } from './security-fixtures';

/**
 * The routes the OpenAPI document does not show: every route the app serves is either behind the
 * bearer guard (and so in the API sweep's table), a public API route of that table, or a page in
 * PAGE_ACCESS_TABLE behind the page guard. Then each page × no session / each role.
 */

interface ServedRoute {
  route: string;
  isPublic: boolean;
  pageGuarded: boolean;
}

describe('page access sweep: every route outside the OpenAPI document', () => {
  let testApp: TestApp;
  let staff: Staff;
  const served: ServedRoute[] = [];
  const cookies = {} as Record<Role, string>;
  const counts = { pages: 0, cases: 0 };

  beforeAll(async () => {
    ({ testApp, staff } = await startProgramApp());
    for (const role of ROLES) cookies[role] = await pageSession(testApp, staff.users[role].email);
    for (const module of testApp.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
        if (!controller) continue;
        const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined) continue;
          const path = `/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string].filter((part) => part && part !== '/').join('/')}`;
          const guards = [
            ...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []),
            ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? []),
          ];
          served.push({
            route: `${RequestMethod[method]} ${path}`,
            isPublic: Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)),
            pageGuarded: guards.includes(PageAuthGuard),
          });
        }
      }
    }
  });
  afterAll(async () => {
    process.stdout.write(`\npage access sweep: ${counts.pages} pages, ${counts.cases} page×caller cases checked\n`);
    await testApp.close();
  });

  /** The OpenAPI table writes paths as /x/{id}; Nest as /x/:id. */
  const apiKey = (route: string) => route.replace(/:(\w+)/g, '{$1}');

  it('serves no route that is public by accident: each is the bearer guard’s, a public API route of the table, or a page of the page table behind the page guard', () => {
    expect(served.length).toBeGreaterThan(60);
    const problems = served.flatMap(({ route, isPublic, pageGuarded }) => {
      if (!isPublic) return apiKey(route) in ACCESS_TABLE ? [] : [`${route}: behind the bearer guard but not in ACCESS_TABLE`];
      if ((ACCESS_TABLE[apiKey(route)] as (typeof ACCESS_TABLE)[string] | undefined)?.public) return [];
      if (!(route in PAGE_ACCESS_TABLE)) return [`${route}: public, neither a public API route nor a page of PAGE_ACCESS_TABLE`];
      return pageGuarded ? [] : [`${route}: a page without PageAuthGuard`];
    });
    expect(problems).toEqual([]);
    const pages = served.filter(({ route }) => route in PAGE_ACCESS_TABLE).map(({ route }) => route);
    expect({ inTableNotServed: Object.keys(PAGE_ACCESS_TABLE).filter((route) => !pages.includes(route)) }).toEqual({
      inTableNotServed: [],
    });
    counts.pages = pages.length;
  });

  it('opens no API route with a page session cookie: the API reads bearer tokens only (so forms on other sites cannot call it)', async () => {
    const problems: string[] = [];
    for (const [route, access] of Object.entries(ACCESS_TABLE)) {
      if (access.public) continue;
      const [method, template] = route.split(' ');
      const path = template.replace(/\{\w+\}/g, () => randomUUID());
      const request = testApp.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path).set('Cookie', cookies[Role.Admin]);
      const response = await (method === 'GET' ? request : request.send({}));
      counts.cases += 1;
      if (response.status !== 401) problems.push(`${route} → ${response.status}`);
    }
    expect(problems).toEqual([]);
  });

  function send(route: string, cookie: string | null): Promise<Response> {
    const [method, template] = route.split(' ');
    const path = template.replace(/:\w+/g, () => randomUUID());
    const request = method === 'POST' ? testApp.http.post(path).type('form').send({ note: 'x' }) : testApp.http.get(path);
    return cookie ? request.set('Cookie', cookie).set('Accept', 'text/html') : request.set('Accept', 'text/html');
  }

  const refusedForRole = (response: Response) => response.status === 403 && response.text.includes('Not part of your role');
  /** Where the answer sends the browser: no Location header on an answer that is not a redirect, whatever the type says. */
  const locationOf = (response: Response): string | undefined => response.headers.location;
  const sentToSignIn = (response: Response) => response.status === 303 && /^\/login(\?|$)/.test(locationOf(response) ?? '');

  it('sends a browser without a session to the sign-in page from every page but the sign-in itself', async () => {
    const problems: string[] = [];
    for (const [route, access] of Object.entries(PAGE_ACCESS_TABLE)) {
      const response = await send(route, null);
      counts.cases += 1;
      if (access === 'anonymous') {
        if (route === 'GET /login' && response.status !== 200) problems.push(`${route} → ${response.status}`);
        if (route === 'POST /login' && response.status !== 403)
          problems.push(`${route} without the sign-in form's token → ${response.status}`);
        // The other anonymous pages: each form refuses a post without its token; the code page without a password first sends to sign in.
        if (route.startsWith('POST ') && route !== 'POST /login' && response.status !== 403)
          problems.push(`${route} without the form's token → ${response.status}`);
        if (route === 'GET /login/code' && !sentToSignIn(response))
          problems.push(`${route} without a right password first → ${response.status}`);
        if (['GET /password-reset', 'GET /password-reset/new', 'GET /invitation'].includes(route) && response.status !== 200)
          problems.push(`${route} → ${response.status}`);
      } else if (!sentToSignIn(response)) {
        problems.push(`${route} → ${response.status} ${locationOf(response) ?? ''}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers each role a page that is not its own with the 403 page, and lets each allowed role past the role check', async () => {
    const problems: string[] = [];
    for (const [route, access] of Object.entries(PAGE_ACCESS_TABLE)) {
      if (access === 'anonymous') continue;
      for (const role of ROLES) {
        const allowed = access === 'signed-in' || access.includes(role);
        const response = await send(route, cookies[role]);
        counts.cases += 1;
        if (sentToSignIn(response)) problems.push(`${route} as ${role}: sent to sign in with a live session`);
        // Allowed roles get past the role check: the page, a 404 for the made-up id, or the form's CSRF refusal.
        if (allowed && refusedForRole(response)) problems.push(`${route} as ${role}: refused, but the table allows it`);
        if (!allowed && !refusedForRole(response)) problems.push(`${route} as ${role}: ${response.status}, expected the 403 page`);
      }
    }
    expect(problems).toEqual([]);
  });

  // The one rule (README, Access): a page one's role never opens answers 403 "Not part of your role";
  // a record outside one's scope — another caseload, court or group, or no such record — answers 404,
  // so a refusal never tells whether the record exists.
  it('answers every allowed role a record that is not in its scope with the 404 page, never 403 or the record', async () => {
    const problems: string[] = [];
    for (const [route, access] of Object.entries(PAGE_ACCESS_TABLE)) {
      if (access === 'anonymous' || !route.startsWith('GET ') || !route.includes(':id')) continue;
      for (const role of ROLES) {
        if (access !== 'signed-in' && !access.includes(role)) continue;
        const response = await send(route, cookies[role]);
        counts.cases += 1;
        if (response.status !== 404 || !response.text.includes('Not found')) problems.push(`${route} as ${role}: ${response.status}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
