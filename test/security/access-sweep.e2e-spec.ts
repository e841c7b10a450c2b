import jwt from 'jsonwebtoken';
import { Response } from 'supertest';
import { Role } from '../../src/common/auth/role.enum';
import { User } from '../../src/modules/users/user.entity';
import { bearer, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { ACCESS_TABLE, ROLES, RouteAccess } from './access-table';
import { buildFixtures, Call, routeCalls } from './route-calls';
import { tableCounts } from './security-fixtures';

/**
 * Every route of the OpenAPI document × every caller: no token and four kinds of bad token (401
 * unless the route is public), each role the route is not for (403), each role on a record outside
 * its scope (404) and each role on a record of its own (the table's status, 2xx). The expectations
 * live in access-table.ts; a route of the document that is not in the table fails the suite.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('access sweep: every route of the OpenAPI document × every caller', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let CALLS: ReturnType<typeof routeCalls>;
  const openApiRoutes: string[] = [];
  const counts = { routes: 0, unauthenticated: 0, refusedRole: 0, outOfScope: 0, allowed: 0, auditedWrites: 0 };

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const fx = await buildFixtures(testApp, staff, reference);
    CALLS = routeCalls(testApp, staff, reference, fx);

    const document = await testApp.http.get('/docs-json').expect(200);
    for (const [path, operations] of Object.entries(document.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of METHODS) if (operations[method]) openApiRoutes.push(`${method.toUpperCase()} ${path}`);
    }
  });

  afterAll(async () => {
    const total = counts.unauthenticated + counts.refusedRole + counts.outOfScope + counts.allowed;
    process.stdout.write(
      `\naccess sweep: ${counts.routes} routes, ${total} route×caller cases checked ` +
        `(${counts.unauthenticated} without a valid token, ${counts.refusedRole} refused roles, ` +
        `${counts.outOfScope} out of scope, ${counts.allowed} allowed; ${counts.auditedWrites} allowed writes each found in the audit log)\n`,
    );
    await testApp.close();
  });

  async function send(route: string, call: Call, token: string | null, rawAuthorization?: string): Promise<Response> {
    const [method] = route.split(' ');
    let request = testApp.http[method.toLowerCase() as (typeof METHODS)[number]](call.path);
    if (rawAuthorization) request = request.set('Authorization', rawAuthorization);
    else if (token) request = request.set(bearer(token));
    return call.body === undefined ? request : request.send(call.body);
  }

  /** Fails with the route, the caller and the answer in view; no answer carries a stack or a password hash. */
  function expectStatus(route: string, caller: string, response: Response, status: number): void {
    expect({ route, caller, status: response.status, body: response.status === status ? undefined : response.body }).toEqual({
      route,
      caller,
      status,
      body: undefined,
    });
    // No text for a binary answer, whatever the type says.
    const text = (response.text as string | undefined) ?? '';
    expect({ route, caller, leaks: /\$argon2|passwordHash|password_hash|\n\s+at \S+ \(/.test(text) }).toEqual({
      route,
      caller,
      leaks: false,
    });
  }

  const routes = () => Object.entries<RouteAccess>(ACCESS_TABLE);

  it('knows every route of the OpenAPI document, and the document every route of the table', () => {
    const documented = [...openApiRoutes].sort();
    const tabled = Object.keys(ACCESS_TABLE).sort();
    counts.routes = documented.length;
    expect({ missingFromTable: documented.filter((route) => !(route in ACCESS_TABLE)) }).toEqual({ missingFromTable: [] });
    expect({ notInDocument: tabled.filter((route) => !openApiRoutes.includes(route)) }).toEqual({ notInDocument: [] });
    expect({ withoutCall: tabled.filter((route) => !(route in CALLS)) }).toEqual({ withoutCall: [] });
  });

  it('answers every route without a valid token with 401 (public routes ignore the token), writing nothing', async () => {
    const before = await tableCounts(testApp);
    const admin = await testApp.dataSource.getRepository(User).findOneByOrFail({ id: staff.users.admin.id });
    const claims = { sub: admin.id, ver: admin.tokenVersion, role: admin.role, agencyId: admin.agencyId };
    const now = Math.floor(Date.now() / 1000);
    const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const badTokens: Record<string, string | null> = {
      'no token': null,
      'malformed token': 'Bearer not-a-token',
      'expired token': `Bearer ${jwt.sign({ ...claims, iat: now - 3600, exp: now - 60 }, testApp.config.jwtSecret, { algorithm: 'HS256' })}`,
      'alg none token': `Bearer ${segment({ alg: 'none', typ: 'JWT' })}.${segment({ ...claims, iat: now, exp: now + 300 })}.`,
      'token signed with another secret': `Bearer ${jwt.sign(claims, 'another secret that is long enough to pass muster', { algorithm: 'HS256', expiresIn: 300 })}`,
    };
    for (const [route, access] of routes()) {
      for (const [caller, authorization] of Object.entries(badTokens)) {
        // A public route is sent a body its validation refuses: the answer shows the token was ignored.
        const call =
          access.public && route.startsWith('POST')
            ? { path: CALLS[route](Role.Admin, 'own').path, body: {} }
            : CALLS[route](Role.Admin, 'own');
        const response = await send(route, call, null, authorization ?? undefined);
        const expected = !access.public ? 401 : route.startsWith('POST') ? 400 : access.allowed[Role.Admin]!;
        expectStatus(route, caller, response, expected);
        if (expected === 401) expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
        counts.unauthenticated += 1;
      }
    }
    expect(await tableCounts(testApp)).toEqual(before);
  });

  it('answers each role a route is not for with 403, whatever the record, writing nothing', async () => {
    const before = await tableCounts(testApp);
    for (const [route, access] of routes()) {
      for (const role of ROLES) {
        if (access.allowed[role] !== undefined) continue;
        const response = await send(route, CALLS[route](Role.Admin, 'own'), staff.tokens[role]);
        expectStatus(route, role, response, 403);
        expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        counts.refusedRole += 1;
      }
    }
    expect(await tableCounts(testApp)).toEqual(before);
  });

  it('answers each role a record outside its caseload, court or group with 404, writing nothing', async () => {
    const before = await tableCounts(testApp);
    for (const [route, access] of routes()) {
      for (const role of access.outOfScope ?? []) {
        const response = await send(route, CALLS[route](role, 'other'), staff.tokens[role]);
        expectStatus(route, role, response, 404);
        expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
        counts.outOfScope += 1;
      }
    }
    expect(await tableCounts(testApp)).toEqual(before);
  });

  it('serves each allowed role on records of its own scope', async () => {
    for (const [route, access] of routes()) {
      for (const role of ROLES) {
        const status = access.allowed[role];
        if (status === undefined) continue;
        const call = CALLS[route](role, 'own');
        const token = call.ownToken ? await call.ownToken() : staff.tokens[role];
        const response = await send(route, call, token);
        expectStatus(route, role, response, status);
        await call.check?.(response);
        // Every change (and every lookup by POST, a read) leaves an audit entry of its own request;
        // a call that changed nothing has nothing to record: sessions already generated (created 0),
        // or an idempotent PUT/PATCH that a second role repeats with the same values (their audit is
        // tested in their own suites).
        if (route.startsWith('POST') && status < 300 && response.body?.created !== 0) {
          const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM audit_entries WHERE request_id = $1`,
            [response.headers['x-request-id']],
          );
          expect({ route, role, auditEntries: n > 0 }).toEqual({ route, role, auditEntries: true });
          counts.auditedWrites += 1;
        }
        counts.allowed += 1;
      }
    }
    // One call per route and role (about 400), each with its audit check: minutes on a busy machine.
  }, 240_000);
});
