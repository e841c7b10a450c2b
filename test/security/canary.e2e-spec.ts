import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import request from 'supertest';
import { addDays } from '../../src/common/dates';
import { AuthService } from '../../src/modules/auth/auth.service';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { PAGE_ACCESS_TABLE, ROLES } from './access-table';

/**
 * The canary: a protected party whose every field carries a unique marker. Every read route of
 * the API, every page and every PDF, called as every role but the advocate, and every e-mail
 * sent to anyone but her, and the whole log of the run and the whole database at rest, must not
 * contain the marker (nor its PDF hex encoding).
 */
const MARKER = `CANARY${randomBytes(5).toString('hex').toUpperCase()}`;
const NON_ADVOCATES = ROLES.filter((role) => role !== Role.Advocate);
const PERIOD = 'from=2026-01-01&to=2026-12-31';
/** Every page of the access table without an id in its path (those are listed with this man's ids below), as each signed-in role opens it. */
const PAGE_PATHS = [
  ...Object.entries(PAGE_ACCESS_TABLE)
    .filter(([route, who]) => route.startsWith('GET ') && !route.includes(':') && who !== 'anonymous')
    .map(([route]) => route.slice('GET '.length))
    .map((path) => (path === '/accountability' ? `${path}?${PERIOD}` : path)),
  `/accountability/export/violations?${PERIOD}`,
  `/accountability/export/unanswered?${PERIOD}`,
];

describe(`canary: the protected party's details reach no one but the advocate`, () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  const ids = {
    referral: '',
    caseNumber: '',
    group: '',
    enrollment: '',
    sessions: [] as string[],
    notices: [] as string[],
    parties: [] as string[],
    victimNotifications: [] as string[],
    payment: '',
  };
  let checked = 0;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const advocate = bearer(staff.tokens.advocate);
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    ids.group = group.id;
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -40) });
    ids.referral = referral.id;
    ids.caseNumber = referral.caseNumber;
    for (const body of [
      {
        name: `Jane ${MARKER}`,
        relationship: `partner ${MARKER}`,
        email: `${MARKER.toLowerCase()}@safe.example.org`,
        address: `PO Box ${MARKER}`,
        safetyNotes: `Never say ${MARKER}`,
        preferredChannel: 'email',
        notificationWish: 'wants',
      },
      {
        name: `Ann ${MARKER}`,
        relationship: 'sister',
        phone: '218 555 0100',
        safetyNotes: `Only mornings ${MARKER}`,
        preferredChannel: 'phone',
        notificationWish: 'not_asked',
      },
    ]) {
      ids.parties.push(
        (await testApp.http.post(`/api/v1/referrals/${referral.id}/protected-parties`).set(advocate).send(body).expect(201)).body.id,
      );
    }

    // His program record: enrolled, absent three times (non-compliance notices), then terminated.
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -30), TODAY)).slice(-3);
    ids.sessions = sessions.map((session) => session.id);
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    ids.enrollment = enrollment.id;
    for (const session of sessions) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: enrollment.id, status: 'absent_unexcused' }] })
        .expect(200);
    }
    await testApp.http
      .post(`/api/v1/referrals/${referral.id}/terminate`)
      .set(bearer(staff.tokens.admin))
      .send({ reason: 'Three absences in a row' })
      .expect(200);
    // A payment of his, so the ledger and its receipt are read too.
    ids.payment = (
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(bearer(staff.tokens.admin))
        .send({ amountCents: 2500, method: 'cash' })
        .expect(201)
    ).body.id;

    // The advocate acts: the e-mail to her, and a sealed note on the other.
    const { body: list } = await testApp.http.get(`/api/v1/victim-notifications?referralId=${referral.id}`).set(advocate).expect(200);
    ids.victimNotifications = list.items.map((item: { id: string }) => item.id);
    expect(ids.victimNotifications).toHaveLength(2);
    for (const item of list.items as Array<{ id: string; hasEmail: boolean }>) {
      if (item.hasEmail)
        await testApp.http
          .post(`/api/v1/victim-notifications/${item.id}/send`)
          .set(advocate)
          .send({ message: `See you ${MARKER}` })
          .expect(200);
      else
        await testApp.http
          .post(`/api/v1/victim-notifications/${item.id}/record`)
          .set(advocate)
          .send({ channel: 'phone', note: `Told her sister ${MARKER}` })
          .expect(200);
    }

    // Every notice rendered and sent, so letters, e-mails and previews exist to be read.
    ids.notices = await waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string; status: string }>>(
          `SELECT id, status FROM notices WHERE referral_id = $1`,
          [referral.id],
        );
        return rows.length >= 3 && rows.every((row) => row.status === 'sent') ? rows.map((row) => row.id) : null;
      },
      { what: 'the notices sent', timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    process.stdout.write(
      `canary: ${checked} responses checked for the marker, as ${NON_ADVOCATES.length} roles, plus ${testApp.smtp.received.length} e-mails, the log and every table\n`,
    );
    await testApp.close();
  });

  /** Concrete paths for an OpenAPI path template, with the fixture's ids (several where there are several). */
  function concretePaths(template: string): string[] {
    const byCollection: Partial<Record<string, string[]>> = {
      referrals: [ids.referral],
      groups: [ids.group],
      sessions: ids.sessions,
      notices: ids.notices,
      enrollments: [ids.enrollment],
      agencies: [staff.program.id, staff.court.id, staff.probation.id, staff.advocacy.id],
      users: Object.values(staff.users).map((user) => user.id),
      policies: [reference.duluthPolicy.id],
      curricula: [reference.duluth.id],
      'protected-parties': ids.parties,
      'victim-notifications': ids.victimNotifications,
      events: [],
      export: ['violations', 'unanswered', 'swift', 'sure', 'outcomes', 'disparity', 'trends'],
    };
    let paths = [template];
    const match = /\/([a-z-]+)\/\{[A-Za-z]+\}/.exec(template);
    if (match) {
      const values = byCollection[match[1]];
      if (!values) throw new Error(`canary: no ids for ${template}; add the collection to concretePaths`);
      paths = values.map((value) => template.replace(/\{[A-Za-z]+\}/, value));
    }
    paths = paths.map((path) => path.replace('{paymentId}', ids.payment));
    // The figures of this year, so the man's own violations are in them (the default period ends today).
    if (template.startsWith('/api/v1/accountability/')) paths = paths.map((path) => `${path}?from=2026-01-01&to=2026-12-31`);
    if (template === '/api/v1/referrals') paths.push(`${template}?caseNumber=${encodeURIComponent(ids.caseNumber)}`);
    if (template === '/api/v1/notices' || template === '/api/v1/victim-notifications') paths.push(`${template}?referralId=${ids.referral}`);
    return paths;
  }

  async function fetchRaw(agent: request.Test): Promise<{ status: number; body: Buffer }> {
    const response = await agent.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    return { status: response.status, body: response.body as Buffer };
  }

  function expectNoMarker(where: string, content: Buffer | string): void {
    checked += 1;
    const texts = [typeof content === 'string' ? content : content.toString('latin1')];
    if (Buffer.isBuffer(content) && content.subarray(0, 5).toString() === '%PDF-') texts.push(...pdfStreams(content));
    const hex = Buffer.from(MARKER).toString('hex');
    for (const text of texts) {
      const lower = text.toLowerCase();
      if (lower.includes(MARKER.toLowerCase()) || lower.includes(hex)) throw new Error(`the marker leaked in ${where}`);
    }
  }

  it('the advocate does see it (the control: the marker is really there to find)', async () => {
    const { body } = await testApp.http
      .get(`/api/v1/referrals/${ids.referral}/protected-parties`)
      .set(bearer(staff.tokens.advocate))
      .expect(200);
    expect(JSON.stringify(body)).toContain(MARKER);
    const toHer = testApp.smtp.received.filter((mail) => mail.to.includes(`${MARKER.toLowerCase()}@safe.example.org`));
    expect(toHer).toHaveLength(1);
  });

  it('finds the marker inside a PDF as pdfkit writes it (the control for the PDF checks)', async () => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise((resolve) => doc.on('end', resolve));
    doc.text(`Jane ${MARKER}`);
    doc.end();
    await done;
    expect(() => expectNoMarker('a control PDF', Buffer.concat(chunks))).toThrow(/leaked in a control PDF/);
  });

  it.each(NON_ADVOCATES)('no API read route answers %s with the marker (JSON, PDFs and previews alike)', async (role) => {
    const { body: openApi } = await testApp.http.get('/docs-json').expect(200);
    const templates = Object.entries(openApi.paths as Record<string, Record<string, unknown>>)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) => path);
    expect(templates.length).toBeGreaterThan(20);
    let ok = 0;
    for (const template of templates) {
      for (const path of concretePaths(template)) {
        const { status, body } = await fetchRaw(testApp.http.get(path).set(bearer(staff.tokens[role])));
        expect(status).toBeLessThan(500);
        if (status === 200) ok += 1;
        expectNoMarker(`GET ${path} as ${role}`, body);
      }
    }
    // Each role really read something of this man (the test is not passing on refusals alone).
    expect(ok).toBeGreaterThan(role === Role.Facilitator ? 8 : 12);
  });

  it.each(NON_ADVOCATES)('no page or page PDF shows %s the marker', async (role) => {
    const { token } = await testApp.app.get(AuthService).startSession(staff.users[role], 'page', 1800, { typ: 'page' });
    const cookie = `tl_session=${token}`;
    const paths = [
      ...PAGE_PATHS,
      `/referrals/${ids.referral}`,
      `/referrals/${ids.referral}/enroll`,
      `/referrals/${ids.referral}/progress-report.pdf`,
      `/referrals/${ids.referral}/fees/payments/${ids.payment}/receipt.pdf`,
      `/lookup/${ids.referral}`,
      `/advocate/referrals/${ids.referral}`,
      ...ids.parties.map((id) => `/advocate/parties/${id}/edit`),
      ...ids.sessions.map((id) => `/sessions/${id}/roster`),
      ...ids.notices.map((id) => `/notices/${id}/letter.pdf`),
      ...ids.notices.map((id) => `/notices/${id}`),
      `/notices?referralId=${ids.referral}`,
    ];
    let ok = 0;
    for (const path of paths) {
      const { status, body } = await fetchRaw(testApp.http.get(path).set('Cookie', cookie).set('Accept', 'text/html'));
      expect(status).toBeLessThan(500);
      if (status === 200) ok += 1;
      expectNoMarker(`page ${path} as ${role}`, body);
    }
    const lookup = await testApp.http.post('/lookup').set('Cookie', cookie).type('form').send({ caseNumber: ids.caseNumber });
    expectNoMarker(`POST /lookup as ${role}`, textOf(lookup) ?? '');
    expect(ok).toBeGreaterThanOrEqual(2);
  });

  it('no e-mail to anyone but her carries the marker; hers went only to her', () => {
    const others = testApp.smtp.received.filter((mail) => !mail.to.includes(`${MARKER.toLowerCase()}@safe.example.org`));
    expect(others.length).toBeGreaterThanOrEqual(3);
    for (const mail of others) expectNoMarker(`e-mail ${String(mail.messageId)} to ${mail.to.join(', ')}`, mail.raw.replace(/=\r?\n/g, ''));
    for (const mail of others) {
      for (const attachment of base64Parts(mail.raw)) expectNoMarker(`attachment of ${String(mail.messageId)}`, attachment);
    }
  });

  it('the log of the whole run, the audit trail and every table at rest hold no trace of it', async () => {
    expect(testApp.logs.length).toBeGreaterThan(10);
    expectNoMarker('the log', testApp.logs.join(''));
    const tables: Array<{ table_name: string }> = await testApp.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name: table } of tables) {
      const [{ n }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM "${table}" t WHERE lower(t::text) LIKE $1`, [
        `%${MARKER.toLowerCase()}%`,
      ]);
      checked += 1;
      expect({ table, rowsWithMarker: n }).toEqual({ table, rowsWithMarker: 0 });
    }
  });
});

/** The decompressed content streams of a PDF, where pdfkit writes its text. */
/** An answer's text: none for an answer without a text body, whatever the type says. */
function textOf(answer: { text: string }): string | undefined {
  return answer.text;
}

function pdfStreams(pdf: Buffer): string[] {
  const texts: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    const dataStart = pdf[start + 6] === 0x0d ? start + 8 : start + 7;
    const end = pdf.indexOf('endstream', dataStart, 'latin1');
    if (end < 0) break;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(dataStart, end)).toString('latin1');
    } catch {
      content = pdf.subarray(dataStart, end).toString('latin1');
    }
    // Text operators split a line into <hex> and (literal) pieces around kerning: join them up.
    const shown = [...content.matchAll(/<([0-9a-fA-F]+)>|\(((?:\\.|[^\\)])*)\)/g)]
      .map((match) => (match[1] ? Buffer.from(match[1], 'hex').toString('latin1') : match[2]))
      .join('');
    texts.push(content, shown);
    at = end + 9;
  }
  return texts;
}

/** The base64 parts of a MIME message (attachments), decoded, PDFs included. */
function base64Parts(raw: string): Buffer[] {
  const parts: Buffer[] = [];
  const pattern = /Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g;
  for (const match of raw.matchAll(pattern)) parts.push(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
  return parts;
}
