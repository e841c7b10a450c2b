import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { AttendanceBench } from './attendance.bench';
import { Measured, RosterBench } from './roster.bench';
import { SweepBench } from './sweep.bench';

export interface BenchReport {
  startedAt: Date;
  seconds: number;
  postgres: string;
  parameters: Record<string, string | number>;
  sweep: SweepBench;
  roster: RosterBench;
  attendance: AttendanceBench;
  /** Whether compliance_events.corrects_event_id has an index (the existing-events statement's EXISTS needs one). */
  correctsIndexed: boolean;
  /** 1-minute load average when the run started (others' work on the machine makes figures noisier). */
  loadAtStart: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number, base: number) => `${(value / base).toFixed(value / base < 10 ? 2 : 1)}×`;
function time(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms >= 10 ? 1 : 2)} ms`;
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function sweepSection(sweep: SweepBench, correctsIndexed: boolean): string {
  const { baseline, first, steady, referrals, batches } = sweep;
  const perSecond = (ms: number) => int(referrals / (ms / 1000));
  const perBatch = (queries: number) => `${int(queries)} (${(queries / batches).toFixed(1)})`;
  const written = (run: typeof first | typeof steady) =>
    `${int(run.outcome.eventsCreated)} / ${int(run.outcome.noticesCreated)} / ${int(run.outcome.statusChanges)} / ${int(run.outcome.remindersCreated)}`;
  const extra = first.queries - steady.queries;
  const statusStatements = 2 * first.outcome.statusChanges;
  const reading = [
    `The baseline reads the facts of all ${int(referrals)} open referrals in ${batches} keyset batches of 1,000 with plain \`pg\` in ${time(baseline.median)} (${perSecond(baseline.median)} referrals/s): the floor for any sweep that looks at every referral.`,
    `A steady-state sweep, which reads the same facts inside one transaction per batch with the referrals locked \`FOR UPDATE\`, flags each existing event as corrected or not, runs the pure rules and writes nothing, takes ${time(steady.median)}, ${ratio(steady.median, baseline.median)} the baseline, at ${(steady.queries / batches).toFixed(1)} statements per batch (the run's few fixed ones included) whatever the batch holds.`,
    `The first run, which raised ${int(first.outcome.eventsCreated)} events with ${int(first.outcome.noticesCreated)} notices, changed ${int(first.outcome.statusChanges)} statuses and wrote ${int(first.outcome.remindersCreated)} escalation reminders, takes ${time(first.median)} (${ratio(first.median, baseline.median)}).`,
    extra >= statusStatements && first.outcome.statusChanges > 0
      ? `It sent ${int(extra)} statements more than a steady run, ${int(statusStatements)} of them two per status change (an \`UPDATE referrals\` and an audit \`INSERT\` for each referral, from \`ReferralStatusService.transition\` called in the per-referral loop of \`ComplianceService.evaluate\`): the batches' writes are set-based, but status changes are not, so a day on which many referrals change status costs a round trip pair per referral.`
      : `It sent ${int(extra)} statements more than a steady run for its writes.`,
    `Timed alone with plain \`pg\` over the same batches, the sweep's existing-events statement takes ${time(sweep.existingEvents.ms)}, ${Math.round((100 * sweep.existingEvents.ms) / steady.median)} % of a steady run` +
      (correctsIndexed
        ? '.'
        : `: its \`EXISTS (… WHERE c.corrects_event_id = e.id)\` has no index on corrects_event_id to use, so each batch makes PostgreSQL read all ${int(sweep.existingEvents.events)} compliance events (a table that gains a progress report per referral and month) to flag the batch's few as corrected.`),
    `${int(first.queued)} of the first run's notices were queued to Redis after commit (no processor consumes them: APP_ROLE=api), so its time includes that enqueueing.`,
  ].join(' ');
  return [
    `## Daily compliance sweep — ${int(referrals)} open referrals, ${batches} batches`,
    '',
    table(
      ['run', 'samples', 'median', 'min', 'ratio to baseline (median)', 'referrals/s', 'statements (per batch)', 'events / notices / status changes / reminders'],
      [
        ['baseline: raw `pg` read of the same facts, no ORM or rules', baseline.samples, time(baseline.median), time(baseline.min), '1.00×', perSecond(baseline.median), perBatch(baseline.queries), '—'],
        ['`ComplianceSweepService.run`, first run (crossings written)', first.samples, time(first.median), time(first.min), ratio(first.median, baseline.median), perSecond(first.median), perBatch(first.queries), written(first)],
        ['`ComplianceSweepService.run`, steady state (nothing new)', steady.samples, time(steady.median), time(steady.min), ratio(steady.median, baseline.median), perSecond(steady.median), perBatch(steady.queries), written(steady)],
      ],
    ),
    '',
    reading,
  ].join('\n');
}

function latencyRows(rows: Array<[string, Measured]>, base: Measured): Array<Array<string | number>> {
  return rows.map(([label, m]) => [label, m.samples, time(m.median), time(m.p95), time(m.min), ratio(m.median, base.median), m.queries]);
}

const LATENCY_HEADER = ['call', 'samples', 'median', 'p95', 'min', 'ratio to baseline (median)', 'statements per call'];

function rosterSection(roster: RosterBench): string {
  const { baseline, service, http, big } = roster;
  const fixed = big.queries === service.queries;
  const reading = [
    `\`RosterService.load\` answers the ${roster.men}-man roster (each man's standing computed from all his held-session marks) in ${time(service.median)} median, p95 ${time(service.p95)}, ${ratio(service.median, baseline.median)} the ${time(baseline.median)} that plain \`pg\` needs to read the same rows and histories` +
      (service.median < baseline.median ? ' (less than 1 because the service aggregates the histories in the same statement as the rows, one round trip fewer than the baseline).' : '.'),
    `Over HTTP as the group's facilitator (bearer token checked against the users table, routing, serialisation) the same roster takes ${time(http.median)}, p95 ${time(http.p95)}.`,
    fixed
      ? `The service sends ${service.queries} statements for ${roster.men} men and the same ${big.queries} for the ${int(roster.bigMen)}-man session of a big group (${time(big.median)} median there): the query count does not grow with the roster.`
      : `The service sends ${service.queries} statements for ${roster.men} men but ${big.queries} for the ${int(roster.bigMen)}-man session: the query count grows with the roster.`,
  ].join(' ');
  return [
    `## Roster read — a ${roster.men}-man session`,
    '',
    table(LATENCY_HEADER, [
      ...latencyRows(
        [
          ['baseline: raw `pg` select of the same roster rows and histories', baseline],
          ['`RosterService.load` (facilitator view)', service],
          ['`GET /api/v1/sessions/:id/roster` over HTTP (facilitator)', http],
          [`\`RosterService.load\`, ${int(roster.bigMen)}-man session (query count check)`, big],
        ],
        baseline,
      ),
    ]),
    '',
    reading,
  ].join('\n');
}

function attendanceSection(attendance: AttendanceBench, correctsIndexed: boolean): string {
  const { baseline, changed, replay, http, existingEvents } = attendance;
  const reading = [
    `Saving a ${attendance.marks}-man roster in which every mark changed takes ${time(changed.median)} median (p95 ${time(changed.p95)}) through \`AttendanceService.mark\`, ${ratio(changed.median, baseline.median)} a raw upsert of the same ${attendance.marks} rows in one transaction (${time(baseline.median)}).`,
    `For that it sends ${changed.queries} statements whatever the roster's size (as long as no status changes): the session locked, eligibility, the marks as they were, one upsert, one audit insert, the rules' facts (referrals locked \`FOR UPDATE\`, marks, events) in the same transaction, then the roster read back after commit.`,
    `Of that, ${time(existingEvents.median)} is the rules' existing-events statement alone, timed by itself for the same ${attendance.marks} men (last row)` +
      (correctsIndexed
        ? '.'
        : `: to flag their few events as corrected or not it reads all ${int(existingEvents.events)} compliance events, for want of an index on corrects_event_id, so a save slows as the program's history grows.`),
    `A replay of an unchanged roster writes nothing and takes ${time(replay.median)} (${replay.queries} statements); the HTTP \`PUT\` adds validation and the token check: ${time(http.median)} median, p95 ${time(http.p95)}.`,
  ].join(' ');
  return [
    `## Attendance save — a ${attendance.marks}-man roster`,
    '',
    table(
      LATENCY_HEADER,
      latencyRows(
        [
          [`baseline: raw upsert of ${attendance.marks} rows in one transaction`, baseline],
          ['`AttendanceService.mark`, every mark changed (rules evaluated)', changed],
          ['`AttendanceService.mark`, replay with nothing changed', replay],
          ['`PUT /api/v1/sessions/:id/attendance` over HTTP, every mark changed', http],
          [`diagnosis: raw \`pg\`, the existing-events statement of \`ComplianceService.evaluate\` alone for these ${attendance.marks} men`, existingEvents],
        ],
        baseline,
      ),
    ),
    '',
    reading,
  ].join('\n');
}

export function renderReport(report: BenchReport): string {
  const cpus = os.cpus();
  const machine = [
    `- node ${process.version}, ${os.platform()} ${os.arch()}`,
    `- ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory`,
    `- PostgreSQL ${report.postgres} and Redis on loopback, the app in the same process as the bench`,
    `- 1-minute load average ${report.loadAtStart.toFixed(2)} at the start and ${os.loadavg()[0].toFixed(2)} at the end (the bench itself keeps about one CPU busy; more means other work shared the machine)`,
  ];
  const parameters = Object.entries(report.parameters).map(([key, value]) => `- ${key}: ${typeof value === 'number' ? int(value) : value}`);
  return [
    '# Throughline benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${report.startedAt.toISOString()}, in ${Math.round(report.seconds)} s. Every figure is`,
    'set against a raw baseline measured in the same run: the plain `pg` read or write of the same',
    'rows, without the ORM, Nest, the rules or HTTP. Times are wall-clock milliseconds per call.',
    '',
    '## Machine',
    '',
    ...machine,
    '',
    '## Parameters',
    '',
    ...parameters,
    '',
    sweepSection(report.sweep, report.correctsIndexed),
    '',
    rosterSection(report.roster),
    '',
    attendanceSection(report.attendance, report.correctsIndexed),
    '',
  ].join('\n');
}

export function writeReport(path: string, markdown: string): void {
  writeFileSync(path, markdown);
}
