// The pages and the changes, each read or written through the case store as the signed-in user, so
// every change lands in the case's audit log under their name, exactly as the CLI would write it.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { BreachAssessment } from '../assess/breach/types.js';
import type { ExposureTable } from '../assess/exposure/index.js';
import { assessReadings, historiesFromLogs, loadTable } from '../assess/exposure/index.js';
import type { ActionStatus, DecisionKind } from '../case/index.js';
import { ACTION_STATUSES, CaseError, DECISION_KINDS } from '../case/index.js';
import { buildDraft, buildDrafts, buildProcessorNotice } from '../regulatory/draft.js';
import type { ObligationTemplate } from '../regulatory/obligations.js';
import { readStanding, refreshObligations } from '../regulatory/refresh.js';
import { blockingQuestions, sendCopy, SendCopyRefused } from '../regulatory/send-copy.js';
import type { PackName } from '../regulatory/rules.js';
import { PACKS } from '../regulatory/rules.js';
import type { PackFormat } from '../report/packs/index.js';
import { FORMATS, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from '../report/packs/index.js';
import type { Env } from './request-context.js';
import { pageContext } from './request-context.js';
import { running, storedClocks } from './clocks.js';
import { caseUrl } from './layout.js';
import { actionsPage } from './pages/actions.js';
import { auditPage } from './pages/audit.js';
import type { DueItem } from './pages/calendar.js';
import { calendarPage } from './pages/calendar.js';
import type { CaseRow } from './pages/cases.js';
import { casesPage } from './pages/cases.js';
import { decisionsPage } from './pages/decisions.js';
import { evidencePage } from './pages/evidence.js';
import { exposurePage } from './pages/exposure.js';
import { mailboxesPage } from './pages/mailboxes.js';
import { CHANNELS, obligationsPage, sendRefusedPage } from './pages/obligations.js';
import { overviewPage } from './pages/overview.js';
import { sessionsPage } from './pages/sessions.js';
import { recordPage, timelinePage } from './pages/timeline.js';
import { sessionGraph } from './session-graph.js';
import type { TimelineFilter } from './timeline-rows.js';
import { filterRows, timelineRows } from './timeline-rows.js';
import type { Change } from './users.js';
import { may, NotAllowed } from './users.js';

interface RouteOptions {
  tz: string;
  now: () => string;
  uploads: string;
}

type C = Context<Env>;

const CASE = '/c/:firm/:name';

function refOf(c: C): string {
  return `${c.req.param('firm') ?? ''}/${c.req.param('name') ?? ''}`;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function allowed(c: C, change: Change): void {
  const user = c.get('session').user;
  if (!may(user, change)) throw new NotAllowed(`${user.name} (${user.role}) may not do that; ask a responder or the compliance officer`);
}

function flash(c: C, ok: boolean, text: string): void {
  c.get('session').flash = { ok, text };
}

/** A change refused by the store (a bad value, a rule of the case) comes back to the page as its message. */
async function change(c: C, to: string, run: () => Promise<string>): Promise<Response> {
  try {
    flash(c, true, await run());
  } catch (err) {
    if (!(err instanceof CaseError)) throw err;
    flash(c, false, err.message);
  }
  return c.redirect(to, 303);
}

async function latestResult(c: C, ref: string): Promise<{ version: number; result: BreachAssessment } | undefined> {
  const all = await c.get('store').listAssessments(ref);
  const last = all[all.length - 1];
  return last ? { version: last.version, result: last.result as BreachAssessment } : undefined;
}

async function allRows(c: C, ref: string) {
  const store = c.get('store');
  const [sessions, findings] = await Promise.all([store.listSessions(ref), store.listFindings(ref)]);
  return timelineRows(sessions ?? [], findings);
}

async function renderPack(pack: PackName, format: PackFormat, draft: ReturnType<typeof buildDraft>): Promise<string | Buffer> {
  if (format === 'pdf') return (await renderPackPdfs([draft]))[0] ?? Buffer.alloc(0);
  if (format === 'docx') return renderPackDocx(draft);
  return format === 'html' ? renderPackHtml(draft) : renderPackJson(draft);
}

const TYPES: Record<PackFormat, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function registerCaseRoutes(app: Hono<Env>, o: RouteOptions): void {
  const ctx = (c: C) => pageContext(c, o.tz, o.now());
  // The shipped build table, read once on first use.
  let shipped: ExposureTable | undefined;
  const table = (): ExposureTable => (shipped ??= loadTable());

  app.get('/', async (c) => {
    const store = c.get('store');
    const user = c.get('session').user;
    const items = await store.listCases(user.firm === undefined ? { allFirms: true } : {});
    const now = o.now();
    const rows: CaseRow[] = [];
    for (const item of items) {
      const story = await store.story(item.ref);
      const verdicts = story.servers.map((s) => s.verdict).filter((v) => v !== undefined);
      const order = ['clean', 'probed', 'exploit-attempted', 'exploited', 'post-exploitation'];
      const worst = verdicts.sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
      rows.push({ item, worst, next: (await storedClocks(store, item.ref, now)).find(running), open: story.open.length });
    }
    return c.html(casesPage(ctx(c), rows));
  });

  app.get('/calendar', async (c) => {
    const store = c.get('store');
    const user = c.get('session').user;
    const now = o.now();
    const due: DueItem[] = [];
    for (const item of await store.listCases(user.firm === undefined ? { allFirms: true } : {})) {
      for (const clock of (await storedClocks(store, item.ref, now)).filter(running)) due.push({ caseRef: item.ref, clock });
    }
    return c.html(calendarPage(ctx(c), due));
  });

  app.get(CASE, async (c) => {
    const ref = refOf(c);
    const store = c.get('store');
    return c.html(overviewPage(ctx(c), await store.story(ref), await storedClocks(store, ref, o.now())));
  });

  app.get(`${CASE}/timeline`, async (c) => {
    const ref = refOf(c);
    await c.get('store').getCase(ref);
    const q = c.req.query();
    const f: TimelineFilter = { server: q.server, stage: q.stage, ip: q.ip, session: q.session, rule: q.rule, from: q.from, to: q.to };
    const all = await allRows(c, ref);
    return c.html(timelinePage(ctx(c), ref, all, filterRows(all, f), f));
  });

  app.get(`${CASE}/record`, async (c) => {
    const ref = refOf(c);
    const path = c.req.query('path');
    const line = Number(c.req.query('line'));
    const rule = c.req.query('rule');
    const row = (await allRows(c, ref)).find((r) => r.path === path && r.line === line && (rule === undefined || r.ruleId === rule));
    if (!row) return c.notFound();
    // A finding outside every session brings no record with it: the store has the fields it kept.
    const fields = row.fields ?? (row.ruleId !== undefined ? await c.get('store').findingFields(ref, row.path, row.line, row.ruleId) : undefined);
    return c.html(recordPage(ctx(c), ref, { ...row, fields }));
  });

  app.get(`${CASE}/sessions`, async (c) => {
    const ref = refOf(c);
    const store = c.get('store');
    return c.html(sessionsPage(ctx(c), ref, await store.listSessions(ref), (await store.listMailboxes(ref)) ?? []));
  });

  app.get(`${CASE}/sessions.svg`, async (c) => {
    const ref = refOf(c);
    const store = c.get('store');
    const { svg } = sessionGraph((await store.listSessions(ref)) ?? [], (await store.listMailboxes(ref)) ?? [], `Attacker sessions, case ${ref}`);
    return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n${svg.value}`, 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Content-Disposition': `attachment; filename="${ref.replace('/', '-')}-sessions.svg"`,
    });
  });

  app.get(`${CASE}/mailboxes`, async (c) => {
    const ref = refOf(c);
    const latest = await latestResult(c, ref);
    return c.html(mailboxesPage(ctx(c), ref, await c.get('store').listMailboxes(ref), latest?.result.datasets, latest?.version));
  });

  app.get(`${CASE}/exposure`, async (c) => {
    const ref = refOf(c);
    const sightings = await c.get('store').listBuilds(ref);
    const asOf = o.now().slice(0, 10);
    const t = table();
    const logs = historiesFromLogs(
      t,
      sightings.filter((s) => s.source === 'httpproxy').map((s) => ({ server: s.server, time: s.seenAt, build: s.build, source: 'httpproxy' as const })),
      asOf,
    );
    const servers = assessReadings(t, logs.readings, { asOf });
    return c.html(exposurePage(ctx(c), ref, { ...logs, servers, asOf, tableChecked: t.builds.checked, sightings: sightings.length }));
  });

  app.get(`${CASE}/evidence`, async (c) => {
    const ref = refOf(c);
    return c.html(evidencePage(ctx(c), ref, await c.get('store').listEvidence(ref)));
  });

  app.post(`${CASE}/evidence/verify`, async (c) => {
    allowed(c, 'verify');
    const ref = refOf(c);
    const store = c.get('store');
    const results = await store.verifyEvidence(ref);
    return c.html(evidencePage(ctx(c), ref, await store.listEvidence(ref), results));
  });

  app.get(`${CASE}/actions`, async (c) => {
    const ref = refOf(c);
    return c.html(actionsPage(ctx(c), ref, await c.get('store').listActions(ref)));
  });

  app.post(`${CASE}/actions/:key`, async (c) => {
    allowed(c, 'action');
    const ref = refOf(c);
    const key = c.req.param('key');
    const body = await c.req.parseBody();
    const status = field(body, 'status');
    return change(c, `${caseUrl(ref, 'actions')}#action-${encodeURIComponent(key)}`, async () => {
      if (!status || !(ACTION_STATUSES as readonly string[]).includes(status)) throw new CaseError(`status must be one of ${ACTION_STATUSES.join(', ')}`);
      const note = field(body, 'note');
      const a = await c.get('store').updateAction(ref, key, { status: status as ActionStatus, ...(note !== undefined ? { note } : {}) });
      return `${a.key} is now ${a.status}.`;
    });
  });

  app.get(`${CASE}/decisions`, async (c) => {
    const ref = refOf(c);
    return c.html(decisionsPage(ctx(c), ref, await c.get('store').listDecisions(ref)));
  });

  app.post(`${CASE}/decisions`, async (c) => {
    allowed(c, 'decide');
    const ref = refOf(c);
    const body = await c.req.parseBody();
    return change(c, caseUrl(ref, 'decisions'), async () => {
      const kind = field(body, 'kind');
      if (!kind || !(DECISION_KINDS as readonly string[]).includes(kind)) throw new CaseError(`kind must be one of ${DECISION_KINDS.join(', ')}`);
      const evidence = (field(body, 'evidence') ?? '').split(/[\s,]+/).filter((s) => s !== '');
      const approvedBy = field(body, 'approvedBy');
      const supersedes = field(body, 'supersedes');
      const d = await c.get('store').decide(ref, {
        kind: kind as DecisionKind,
        decision: field(body, 'decision') ?? '',
        rationale: field(body, 'rationale') ?? '',
        evidence,
        ...(approvedBy !== undefined ? { approvedBy } : {}),
        ...(supersedes !== undefined ? { supersedes } : {}),
      });
      return `Decision ${d.ref} recorded.`;
    });
  });

  // Opening the page reads; bringing the obligations up to date is a change of its own, by a role allowed to file.
  app.get(`${CASE}/obligations`, async (c) => {
    const ref = refOf(c);
    const now = o.now();
    const standing = await readStanding(c.get('store'), ref, now);
    // The processor's notice is offered per client it can be drafted for: an obligation still
    // naming "each controller client (not yet listed)" has no notice to download.
    const draftCtx = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz: o.tz };
    const clients = buildDrafts('processor', draftCtx).flatMap((d) => (d.recipient === undefined ? [] : [d.recipient]));
    return c.html(obligationsPage(ctx(c), ref, standing.clocks, standing.obligations, standing.pending, clients));
  });

  app.post(`${CASE}/obligations/refresh`, async (c) => {
    allowed(c, 'file');
    const ref = refOf(c);
    return change(c, caseUrl(ref, 'obligations'), async () => {
      const standing = await refreshObligations(c.get('store'), ref, o.now());
      return `The obligations are up to date with the latest assessment (${standing.obligations.filter((x) => x.active).length} in force).`;
    });
  });

  app.post(`${CASE}/filings`, async (c) => {
    allowed(c, 'file');
    const ref = refOf(c);
    const store = c.get('store');
    const body = await c.req.parseBody();
    return change(c, caseUrl(ref, 'obligations'), async () => {
      const now = o.now();
      const standing = await refreshObligations(store, ref, now);
      const ob = standing.obligations.find((x) => x.ref === (field(body, 'obligation') ?? '').toUpperCase());
      if (!ob) throw new CaseError('choose an obligation of this case');
      const reference = field(body, 'reference');
      if (!reference) throw new CaseError("give the regulator's reference (or the letter's)");
      const channel = field(body, 'channel') ?? 'other';
      if (!(CHANNELS as readonly string[]).includes(channel)) throw new CaseError(`channel must be one of ${CHANNELS.join(', ')}`);
      const doc = body.document;
      let document: { name: string; sha256: string; size: number; evidence: string } | undefined;
      if (doc instanceof File && doc.size > 0) {
        const bytes = Buffer.from(await doc.arrayBuffer());
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        // The stored name is ours (case, obligation, hash); the uploaded name is kept only as a note.
        const ext = /^\.[a-z0-9]{1,8}$/i.test(extname(doc.name)) ? extname(doc.name).toLowerCase() : '.bin';
        await mkdir(o.uploads, { recursive: true, mode: 0o700 });
        const path = join(o.uploads, `${ref.replace('/', '-')}-${ob.ref}-${sha256.slice(0, 16)}${ext}`);
        await writeFile(path, bytes, { mode: 0o600 });
        const added = await store.addEvidence(ref, { path, source: `the document filed for ${ob.ref} (${ob.recipient})`, note: `uploaded as ${doc.name}` });
        document = { name: doc.name, sha256, size: bytes.length, evidence: added.item.ref };
      }
      const pack = (ob.template as Partial<ObligationTemplate>).pack;
      const draftCtx = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz: o.tz };
      // A processor's notice is one client's: the snapshot is the notice to this obligation's client.
      const snapshot =
        pack === 'processor'
          ? (buildProcessorNotice(draftCtx, ob.recipient, { appendixRows: Infinity })[0] ?? { note: 'this obligation has no pack draft' })
          : pack !== undefined && (PACKS as readonly string[]).includes(pack)
            ? buildDraft(pack as PackName, draftCtx, { appendixRows: Infinity })
            : { note: 'this obligation has no pack draft' };
      const sentAt = field(body, 'sentAt');
      const delayReasons = field(body, 'delayReasons');
      const { filing } = await store.recordFiling(ref, {
        obligation: ob.ref,
        reference,
        channel,
        content: { pack, assessmentVersion: standing.assessment?.version, draft: snapshot, document },
        ...(sentAt !== undefined ? { sentAt } : {}),
        ...(delayReasons !== undefined ? { delayReasons } : {}),
      });
      return `Filing #${filing.seq} for ${ob.ref} recorded${document ? `; the document is ${document.evidence} in the evidence register (SHA-256 ${document.sha256})` : ''}.`;
    });
  });

  app.get(`${CASE}/packs/:file`, async (c) => {
    const ref = refOf(c);
    const m = /^([a-z]+)\.([a-z]+)$/.exec(c.req.param('file'));
    const pack = m?.[1] as PackName | undefined;
    const format = m?.[2] as PackFormat | undefined;
    if (!pack || !format || !PACKS.includes(pack) || !FORMATS.includes(format)) return c.notFound();
    const now = o.now();
    const standing = await readStanding(c.get('store'), ref, now);
    const draftCtx = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz: o.tz };
    const opts = format === 'json' ? { appendixRows: Infinity } : {};
    // The processor's notice is one per controller client (?client= names one; the first by default), none where the firm holds no client's data.
    const client = c.req.query('client');
    const draft =
      pack === 'processor'
        ? buildDrafts('processor', draftCtx, opts).find((d) => client === undefined || d.recipient === client)
        : buildDraft(pack, draftCtx, opts);
    if (draft === undefined) return c.notFound();
    // The send copy is refused while a question the document needs is open, each one named.
    const send = c.req.query('copy') === 'send';
    const blocking = send ? blockingQuestions(draft) : [];
    if (blocking.length) return c.html(sendRefusedPage(ctx(c), ref, new SendCopyRefused(draft, blocking)), 409);
    const out = await renderPack(pack, format, send ? sendCopy(draft) : draft);
    const name = `${standing.facts.record.firm.slug}-${standing.facts.record.name}-${pack}${send ? '-send' : ''}.${format}`;
    return c.body(typeof out === 'string' ? out : new Uint8Array(out), 200, {
      'Content-Type': TYPES[format],
      'Content-Disposition': `attachment; filename="${name}"`,
    });
  });

  app.get(`${CASE}/audit`, async (c) => {
    const ref = refOf(c);
    const store = c.get('store');
    return c.html(auditPage(ctx(c), ref, await store.auditLog(ref), await store.checkAudit(ref)));
  });
}
