import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { createValidationPipe } from '../../src/common/errors/validation-errors';
import { JSON_BODY_LIMIT } from '../../src/http-app';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { ACCESS_TABLE } from './access-table';
import { buildFixtures, Call, Fixtures, routeCalls } from './route-calls';
import { pageSession, referralWithNotices, tableCounts, waitUntilRendered } from './security-fixtures';

/**
 * What a hostile or careless client may send to every write route of the OpenAPI document:
 * privileged or unknown fields (mass assignment), injection strings in every string field,
 * oversized and malformed bodies. Refused with 4xx and a message per field, never a 500, and
 * nothing written; what is accepted is stored verbatim and shown escaped on the pages.
 */

type OpenApiSchema = {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  allOf?: OpenApiSchema[];
};
interface OpenApiDocument {
  paths: Record<
    string,
    Partial<
      Record<
        string,
        { parameters?: Array<{ name: string; in: string }>; requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> } }
      >
    >
  >;
  components: { schemas: Record<string, OpenApiSchema> };
}

const WRITE_METHODS = ['post', 'put', 'patch'] as const;
const PRIVILEGED = {
  role: 'admin',
  agencyId: randomUUID(),
  status: 'completed',
  id: randomUUID(),
  tokenVersion: 999,
  createdAt: '2000-01-01T00:00:00.000Z',
};
const SCRIPT = '<script>alert(1)</script>';
/** 2^63: one past PostgreSQL's bigint, where an OFFSET used to become a database error. */
const OFFSET_2_63 = '9223372036854775808';
const LONE_SURROGATE = '\ud800';
const PROBES = ["' OR 1=1 --", "'; DROP TABLE users; --", SCRIPT, '{{7*7}}', '../../etc/passwd', 'nul\u0000byte'];

describe('input hardening on every write route', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let fx: Fixtures;
  let calls: ReturnType<typeof routeCalls>;
  let document: OpenApiDocument;
  let writeRoutes: string[] = [];
  const checked = { massAssignment: 0, probes: 0, stored: 0, malformed: 0, offsets: 0, surrogates: 0, nulls: 0 };

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    fx = await buildFixtures(testApp, staff, reference);
    calls = routeCalls(testApp, staff, reference, fx);
    document = (await testApp.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    writeRoutes = Object.entries(document.paths).flatMap(([path, operations]) =>
      WRITE_METHODS.filter((method) => operations[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(async () => {
    process.stdout.write(
      `\ninput hardening: ${writeRoutes.length} write routes; ${checked.massAssignment} mass-assignment bodies, ` +
        `${checked.probes} injection probes (${checked.stored} stored verbatim), ${checked.malformed} oversized or malformed bodies, ` +
        `${checked.offsets} offsets of 2^63, ${checked.surrogates} lone surrogates, ${checked.nulls} nulls\n`,
    );
    await testApp.close();
  });

  /** Write routes with a call (the test above fails for any without one). */
  const callable = () => writeRoutes.filter((route) => route in calls);

  /** The role that may call the route (the admin where he may), and its token. */
  async function caller(route: string, call: Call): Promise<{ role: Role; token: string }> {
    const allowed = ACCESS_TABLE[route].allowed;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the table's keys are roles
    const role = allowed[Role.Admin] !== undefined ? Role.Admin : (Object.keys(allowed)[0] as Role);
    return { role, token: call.ownToken ? await call.ownToken() : staff.tokens[role] };
  }

  function send(
    route: string,
    path: string,
    token: string,
    body: string | object | undefined,
    contentType = 'application/json',
  ): Promise<Response> {
    const method = route.split(' ')[0].toLowerCase() as (typeof WRITE_METHODS)[number];
    const request = testApp.http[method](path).set(bearer(token));
    return body === undefined ? request : request.set('Content-Type', contentType).send(body as string);
  }

  function resolve(schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf)
      return { type: 'object', properties: Object.assign({}, ...schema.allOf.map((part) => resolve(part)?.properties ?? {})) };
    return schema;
  }

  function bodySchema(route: string): OpenApiSchema | undefined {
    const [method, path] = route.split(' ');
    return resolve(document.paths[path][method.toLowerCase()]!.requestBody?.content?.['application/json']?.schema);
  }

  /** Every string field of a body schema, as a dotted path (participant.firstName). */
  function stringFields(schema: OpenApiSchema | undefined, prefix = ''): string[] {
    return Object.entries(schema?.properties ?? {}).flatMap(([name, property]) => {
      const resolved = resolve(property)!;
      const path = prefix ? `${prefix}.${name}` : name;
      if (resolved.type === 'string') return [path];
      if (resolved.properties) return stringFields(resolved, path);
      return [];
    });
  }

  function withValue(body: object, path: string, value: unknown): object {
    const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
    const parts = path.split('.');
    let target = copy;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
    return copy;
  }

  function valueAt(body: unknown, path: string): unknown {
    return path
      .split('.')
      .reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), body);
  }

  it('runs one global ValidationPipe that whitelists, refuses unknown fields and transforms', () => {
    const pipe = createValidationPipe() as unknown as { validatorOptions: Record<string, unknown>; isTransformEnabled: boolean };
    expect(pipe.validatorOptions).toMatchObject({ whitelist: true, forbidNonWhitelisted: true });
    expect(pipe.isTransformEnabled).toBe(true);
  });

  it('knows how to call every write route of the document', () => {
    expect(writeRoutes.length).toBeGreaterThan(20);
    expect({ withoutCall: writeRoutes.filter((route) => !(route in calls)) }).toEqual({ withoutCall: [] });
  });

  it('refuses privileged and unknown fields (role, agencyId, status, id, tokenVersion, createdAt, __proto__, constructor) with 400 naming each, writing nothing', async () => {
    const prepared = [];
    for (const route of callable()) {
      const call = calls[route](Role.Admin, 'own');
      prepared.push({ route, call, ...(await caller(route, call)) });
    }
    const before = await tableCounts(testApp);
    for (const { route, call, token } of prepared) {
      const known = Object.keys(bodySchema(route)?.properties ?? {});
      const injected = Object.fromEntries(Object.entries(PRIVILEGED).filter(([key]) => !known.includes(key)));
      const valid = (call.body ?? {}) as Record<string, unknown>;
      // __proto__ and constructor written into the JSON text itself: JSON.parse makes them own keys.
      const rest = JSON.stringify({ ...valid, ...injected });
      const raw = `{"__proto__":{"role":"admin","polluted":true},"constructor":{"prototype":{"polluted":true}}${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`;
      // Prototype keys are refused before anything else looks at the body; then the privileged ones.
      for (const [body, keys] of [
        [raw, ['__proto__', 'constructor']],
        [JSON.stringify({ ...valid, ...injected }), Object.keys(injected)],
      ] as Array<[string, string[]]>) {
        const response = await send(route, call.path, token, body);
        expect({ route, status: response.status, body: response.status === 400 ? undefined : response.body }).toEqual({
          route,
          status: 400,
          body: undefined,
        });
        expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
        const fields = Object.keys(response.body.fields ?? {});
        expect({ route, missing: keys.filter((key) => !fields.includes(key)) }).toEqual({ route, missing: [] });
        for (const key of keys)
          expect(response.body.fields[key][0]).toMatch(new RegExp(`^${key.replace(/_/g, '_')} is not an allowed field`));
      }
      if (route === 'POST /api/v1/referrals') {
        const nested = await send(route, call.path, token, {
          ...valid,
          participant: { ...(valid.participant as object), id: randomUUID(), createdAt: '2000-01-01' },
        });
        expect(nested.status).toBe(400);
        expect(nested.body.fields).toEqual({
          'participant.id': ['participant.id is not an allowed field'],
          'participant.createdAt': ['participant.createdAt is not an allowed field'],
        });
      }
      checked.massAssignment += 1;
    }
    expect(await tableCounts(testApp)).toEqual(before);
    // The app runs in this process: nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('answers injection strings in every string field with 4xx or stores them verbatim — never a 500', async () => {
    const problems: string[] = [];
    for (const route of callable()) {
      for (const field of stringFields(bodySchema(route))) {
        for (const probe of PROBES) {
          const call = calls[route](Role.Admin, 'own');
          const { token } = await caller(route, call);
          const body = withValue(call.body ?? {}, field, probe);
          const response = await send(route, call.path, token, body);
          checked.probes += 1;
          if (response.status >= 500) problems.push(`${route} ${field}=${JSON.stringify(probe)} → ${response.status}`);
          if (probe.includes('\u0000') && response.status < 400) problems.push(`${route} ${field} accepted a NUL byte`);
          if (response.status >= 200 && response.status < 300) {
            const echoed = valueAt(response.body, field);
            if (echoed !== undefined) {
              // Stored as sent, up to the field's documented normalisation (trimmed; case numbers upper-case).
              if (![probe, probe.trim(), probe.toUpperCase()].includes(echoed as string))
                problems.push(`${route} ${field} came back as ${JSON.stringify(echoed)}`);
              checked.stored += 1;
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // Probing the sign-in's password field locked this address out of the accounts it named; later tests sign in.
    for (const user of Object.values(staff.users))
      await testApp.http.post(`/api/v1/users/${user.id}/unlock`).set(bearer(staff.tokens.admin)).expect(204);
    // Some 400 requests, a few dozen of them through argon2: minutes on a loaded 2-core machine.
  }, 240_000);

  it('stores a participant’s name verbatim and shows it escaped on the pages (no stored XSS)', async () => {
    const call = calls['POST /api/v1/referrals'](Role.Admin, 'own');
    const body = withValue(withValue(call.body!, 'participant.firstName', SCRIPT), 'participant.lastName', "O'Brien {{7*7}}");
    const created = await send('POST /api/v1/referrals', call.path, staff.tokens.admin, body);
    expect(created.status).toBe(201);
    const stored = await testApp.http.get(`/api/v1/referrals/${created.body.id}`).set(bearer(staff.tokens.admin)).expect(200);
    expect(stored.body.participant).toMatchObject({ firstName: SCRIPT, lastName: "O'Brien {{7*7}}" });
    const [row] = await testApp.dataSource.query(
      `SELECT p.first_name FROM referrals r JOIN participants p ON p.id = r.participant_id WHERE r.id = $1`,
      [created.body.id],
    );
    expect(row.first_name).toBe(SCRIPT);

    const cookie = await pageSession(testApp, staff.users.admin.email);
    for (const path of [`/referrals/${created.body.id}`, '/referrals']) {
      const page = await testApp.http.get(path).set('Cookie', cookie).expect(200);
      expect(page.text).not.toContain(SCRIPT);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).toContain('{{7*7}}');
    }
  });

  it('renders a participant’s name escaped in the notice e-mail (HTML) staff preview and recipients receive', async () => {
    const { notices } = await referralWithNotices(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName: SCRIPT,
      orderedOn: '2026-11-10',
      groupId: fx.groupA,
      sessionId: fx.pastA,
      startDate: '2026-11-16',
    });
    await waitUntilRendered(testApp, [notices[0].id]);
    const preview = await testApp.http.get(`/api/v1/notices/${notices[0].id}/preview`).set(bearer(staff.tokens.admin)).expect(200);
    expect(preview.text).not.toContain(SCRIPT);
    expect(preview.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows a group’s name escaped on the groups page', async () => {
    const call = calls['POST /api/v1/groups'](Role.Admin, 'own');
    await send('POST /api/v1/groups', call.path, staff.tokens.admin, withValue(call.body!, 'name', `Group ${SCRIPT}`)).then((response) =>
      expect(response.status).toBe(201),
    );
    const page = await testApp.http
      .get('/groups')
      .set('Cookie', await pageSession(testApp, staff.users.admin.email))
      .expect(200);
    expect(page.text).not.toContain(SCRIPT);
    expect(page.text).toContain('Group &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('echoes a case number typed into the clerk’s lookup escaped (no reflected XSS)', async () => {
    const cookie = await pageSession(testApp, staff.users.court_clerk.email);
    const form = await testApp.http.get('/lookup').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const page = await testApp.http
      .post('/lookup')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, caseNumber: SCRIPT })
      .expect(404);
    expect(page.text.toLowerCase()).not.toContain(SCRIPT);
    expect(page.text.toLowerCase()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const login = await testApp.http.get(`/login?next=${encodeURIComponent(`/"><script>alert(1)</script>`)}`).expect(200);
    expect(login.text).not.toContain(SCRIPT);
  });

  it('answers a body over the limit with 413 and malformed JSON with 400 on every write route, never a 500, writing nothing', async () => {
    const prepared = [];
    for (const route of callable()) {
      const call = calls[route](Role.Admin, 'own');
      prepared.push({ route, call, ...(await caller(route, call)) });
    }
    const limitBytes = parseInt(JSON_BODY_LIMIT, 10) * 1024;
    const oversized = JSON.stringify({ name: 'x'.repeat(limitBytes + 1) });
    const before = await tableCounts(testApp);
    for (const { route, call, token } of prepared) {
      const cases: Array<[string, string, number]> = [
        ['oversized', oversized, 413],
        ['truncated JSON', '{"name": "unterminated', 400],
        ['single quotes', "{'name': 'x'}", 400],
        ['a bare string', '"just a string"', 400],
      ];
      for (const [what, raw, status] of cases) {
        const response = await send(route, call.path, token, raw);
        expect({ route, what, status: response.status }).toEqual({ route, what, status });
        expect(response.body.statusCode).toBe(status);
        checked.malformed += 1;
      }
      // An array or null where an object is expected: refused as bad input too.
      for (const raw of ['[]', '[{"role":"admin"}]', 'null']) {
        const response = await send(route, call.path, token, raw);
        expect({ route, raw, client: response.status >= 400 && response.status < 500 }).toEqual({ route, raw, client: true });
        checked.malformed += 1;
      }
    }
    expect(await tableCounts(testApp)).toEqual(before);
  });

  /**
   * The fields where null cannot mean "not given": the required ones (and the required ones inside
   * them) and, on a PATCH, every field not documented as nullable (left out keeps the value; null
   * would try to store nothing in a NOT NULL column).
   */
  function nullRefusedFields(schema: OpenApiSchema | undefined, patch: boolean, prefix = ''): string[] {
    return Object.entries(schema?.properties ?? {}).flatMap(([name, property]) => {
      const resolved = resolve(property)!;
      const path = prefix ? `${prefix}.${name}` : name;
      if (property.nullable || resolved.nullable) return [];
      if (!patch && !(schema?.required ?? []).includes(name)) return [];
      return [path, ...(resolved.properties ? nullRefusedFields(resolved, patch, path) : [])];
    });
  }

  it('unhandled 500s: answers offset 2^63 on every list route and the lookups with 400 naming offset', async () => {
    const problems: string[] = [];
    const listRoutes = Object.entries(document.paths)
      .filter(([, operations]) => operations.get?.parameters?.some((parameter) => parameter.name === 'offset' && parameter.in === 'query'))
      .map(([path]) => `GET ${path}`);
    const bodyRoutes = callable().filter((route) => 'offset' in (bodySchema(route)?.properties ?? {}));
    expect(listRoutes.length).toBeGreaterThan(8);
    expect(bodyRoutes).toEqual(expect.arrayContaining(['POST /api/v1/referrals/lookup']));
    for (const route of listRoutes) {
      const call = calls[route](Role.Admin, 'own');
      const { token } = await caller(route, call);
      const response = await testApp.http.get(`${call.path}${call.path.includes('?') ? '&' : '?'}offset=${OFFSET_2_63}`).set(bearer(token));
      if (response.status !== 400 || !response.body.fields?.offset)
        problems.push(`${route} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      checked.offsets += 1;
    }
    for (const route of bodyRoutes) {
      const call = calls[route](Role.Admin, 'own');
      const { token } = await caller(route, call);
      // Written into the JSON text: as a JS number 2^63 would be rounded before it was sent.
      const raw = JSON.stringify({ ...call.body, offset: 0 }).replace('"offset":0', `"offset":${OFFSET_2_63}`);
      const response = await send(route, call.path, token, raw);
      if (response.status !== 400 || !response.body.fields?.offset)
        problems.push(`${route} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      checked.offsets += 1;
    }
    expect(problems).toEqual([]);
  });

  it('unhandled 500s: answers a lone surrogate in every string field (every e-mail field, the sign-in’s included) with 400 naming the field, writing nothing', async () => {
    const problems: string[] = [];
    const emailFields: string[] = [];
    const prepared = [];
    for (const route of callable()) {
      for (const field of stringFields(bodySchema(route))) {
        const call = calls[route](Role.Admin, 'own');
        prepared.push({ route, field, call, ...(await caller(route, call)) });
      }
    }
    const before = await tableCounts(testApp, ['audit_entries', 'auth_sessions']);
    for (const { route, field, call, token } of prepared) {
      {
        const response = await send(route, call.path, token, withValue(call.body ?? {}, field, `ab${LONE_SURROGATE}@example.org`));
        if (/email/i.test(field)) emailFields.push(`${route} ${field}`);
        if (response.status !== 400 || !response.body.fields?.[field])
          problems.push(`${route} ${field} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        checked.surrogates += 1;
      }
    }
    expect(emailFields).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login email', 'POST /api/v1/users email', 'PATCH /api/v1/users/{id} email']),
    );
    expect(problems).toEqual([]);
    expect(await tableCounts(testApp, ['audit_entries', 'auth_sessions'])).toEqual(before);
  });

  it('unhandled 500s: answers null in every required field, and in every PATCH field not documented as nullable, with 400 naming it (PATCH user email, PATCH agency name …), writing nothing', async () => {
    const problems: string[] = [];
    const refusedBy = Object.fromEntries(
      callable().map((route) => [route, nullRefusedFields(bodySchema(route), route.startsWith('PATCH '))]),
    );
    expect(refusedBy['PATCH /api/v1/users/{id}']).toEqual(expect.arrayContaining(['email', 'name', 'active']));
    expect(refusedBy['PATCH /api/v1/agencies/{id}']).toEqual(expect.arrayContaining(['name']));
    const prepared = [];
    for (const route of callable()) {
      for (const field of refusedBy[route]) {
        const call = calls[route](Role.Admin, 'own');
        prepared.push({ route, field, call, ...(await caller(route, call)) });
      }
    }
    const before = await tableCounts(testApp, ['audit_entries', 'auth_sessions']);
    for (const { route, field, call, token } of prepared) {
      {
        const response = await send(route, call.path, token, withValue(call.body ?? {}, field, null));
        if (
          response.status !== 400 ||
          !Object.keys(response.body.fields ?? {}).some((key) => key === field || key.startsWith(`${field}.`))
        ) {
          problems.push(`${route} ${field}=null → ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
        }
        checked.nulls += 1;
      }
    }
    expect(problems).toEqual([]);
    expect(await tableCounts(testApp, ['audit_entries', 'auth_sessions'])).toEqual(before);
    // Null where it may mean "not given" (an optional field of a create): any answer but a 500.
    for (const route of callable()) {
      for (const field of Object.keys(bodySchema(route)?.properties ?? {}).filter((name) => !refusedBy[route].includes(name))) {
        const call = calls[route](Role.Admin, 'own');
        const { token } = await caller(route, call);
        const response = await send(route, call.path, token, withValue(call.body ?? {}, field, null));
        if (response.status >= 500) problems.push(`${route} ${field}=null → ${response.status}`);
        checked.nulls += 1;
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers a NUL byte in a query string or a form with 400, not a database error', async () => {
    const api = await testApp.http.get(`/api/v1/referrals?caseNumber=${encodeURIComponent('CR\u0000X')}`).set(bearer(staff.tokens.admin));
    expect(api.status).toBe(400);
    const cookie = await pageSession(testApp, staff.users.court_clerk.email);
    const form = await testApp.http.get('/lookup').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const page = await testApp.http
      .post('/lookup')
      .set('Cookie', cookie)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&caseNumber=CR%00X`);
    expect(page.status).toBe(400);
  });
});
