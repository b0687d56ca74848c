// Plain-text views of a case for the terminal. Every string passes through safeText: file names,
// finding fields and the team's own notes alike may hold control characters.

import { safeText } from '../core/terminal-text.js';
import { DEFAULT_ZONE, inZone } from '../core/zoned-time.js';
import { spokenIn } from '../correlate/verdict.js';
import type {
  ActionState,
  AddedEvidence,
  AuditCheck,
  AuditEntry,
  CaseListItem,
  CaseRecord,
  CaseStory,
  CustodyEvent,
  Decision,
  EvidenceItem,
  EvidenceVerification,
  ObligationStory,
  RecordScanOutcome,
} from './types.js';

const t = (s: string | undefined): string => (s === undefined ? '-' : safeText(s));

/** In the reader's zone, to the second, with the zone's abbreviation: `2021-03-05 14:00:00 GMT`. */
export function when(iso: string | undefined, zone = DEFAULT_ZONE): string {
  if (iso === undefined) return 'not recorded';
  return inZone(iso, zone);
}

function section(title: string, lines: string[]): string {
  return `${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

export function renderCase(c: CaseRecord, zone = DEFAULT_ZONE): string {
  const regs = c.firm.registrations.map((r) => `${t(r.scheme)} ${t(r.number)}`).join(', ') || 'none recorded';
  return (
    [
      `${t(c.ref)}: ${t(c.title)}`,
      `  status          ${c.status}`,
      `  firm            ${t(c.firm.name)} (${t(c.firm.slug)}); registrations: ${regs}; DPO: ${c.firm.dpo === undefined ? 'not recorded' : t(c.firm.dpo)}`,
      `  occurred        ${c.occurredFrom || c.occurredTo ? `${when(c.occurredFrom, zone)} to ${when(c.occurredTo, zone)}` : 'not recorded'}`,
      `  detected        ${when(c.detectedAt, zone)}`,
      `  aware           ${when(c.awareAt, zone)}${c.awareReason ? ` (${t(c.awareReason)})` : ''}`,
      `  first reported  ${when(c.firstReportedAt, zone)}`,
      `  servers         ${c.servers.map(t).join(', ') || 'none recorded'}`,
      `  opened          ${when(c.createdAt, zone)} by ${t(c.createdBy)}`,
    ].join('\n') + '\n'
  );
}

export function renderList(items: CaseListItem[], zone = DEFAULT_ZONE): string {
  if (items.length === 0) return 'No cases.\n';
  return (
    items
      .map(
        (c) =>
          `${t(c.ref)}  [${c.status}]  ${t(c.title)}  (evidence ${c.evidence}, findings ${c.findings}, open actions ${c.openActions}; opened ${when(c.createdAt, zone)})`,
      )
      .join('\n') + '\n'
  );
}

function actionLine(a: ActionState, zone: string): string {
  const last = a.last ? ` by ${t(a.last.by)} at ${when(a.last.at, zone)}${a.last.note ? `: ${t(a.last.note)}` : ''}` : '';
  return `[${a.status}] ${t(a.key)}: ${t(a.title)}${a.condition ? ` (${t(a.condition)})` : ''}${last}`;
}

/** `extra`: sections later stages add after what the attacker reached (credentials, phishing), already rendered. */
export function renderStory(s: CaseStory, zone = DEFAULT_ZONE, extra: string[] = []): string {
  const out = [renderCase(s.case, zone)];
  out.push(
    section(
      'Verdicts',
      s.servers.length === 0
        ? ['no servers yet']
        : s.servers.map((v) => `${t(v.name)}: ${v.verdict ?? 'not scanned'}${v.summary ? `. ${t(spokenIn(v.summary, zone))}` : ''}`),
    ),
  );
  const stages = Object.entries(s.findings.byStage)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  out.push(
    section('Scans', [
      `${s.scans.count} scan(s) recorded${s.scans.lastAt ? `, last at ${when(s.scans.lastAt, zone)}` : ''}`,
      `${s.findings.total} finding(s)${stages ? `: ${stages}` : ''}${s.findings.benign ? ` (${s.findings.benign} known-benign)` : ''}`,
    ]),
  );
  out.push(
    section(
      'Mailboxes and data reached',
      s.reach.mailboxes.length
        ? s.reach.mailboxes.map(
            (m) =>
              `${m.level}: ${m.mailbox === '*' ? `every mailbox on ${t(m.server)}` : `${t(m.mailbox)} on ${t(m.server)}`}; ${t(spokenIn(m.how[0] ?? '', zone))}`,
          )
        : [s.scans.count ? 'no mailbox access by an attacker was seen in the scans' : 'not known yet: no scan recorded'],
    ),
  );
  if (s.reach.gaps.length)
    out.push(
      section(
        'What the evidence cannot see',
        s.reach.gaps.map((g) => t(spokenIn(g, zone))),
      ),
    );
  out.push(...extra);
  out.push(
    section('Evidence', [
      `${s.evidence.items} item(s) registered`,
      ...(s.evidence.changedAtLastCheck.length ? [`CHANGED at last check: ${s.evidence.changedAtLastCheck.join(', ')}`] : []),
      ...(s.evidence.unverified.length ? [`not yet verified: ${s.evidence.unverified.join(', ')}`] : []),
    ]),
  );
  out.push(section('Done', s.actions.done.length ? s.actions.done.map((a) => actionLine(a, zone)) : ['nothing ticked off yet']));
  if (s.actions.other.length)
    out.push(
      section(
        'Not applicable',
        s.actions.other.map((a) => actionLine(a, zone)),
      ),
    );
  out.push(section('Decisions in force', s.decisions.length ? s.decisions.map((d) => decisionLine(d, zone)) : ['none recorded']));
  if (s.obligations.length)
    out.push(
      section(
        'Obligations and filings',
        s.obligations.flatMap((o) => obligationLines(o, zone)),
      ),
    );
  out.push(section('Open', s.open.length ? s.open.map((l) => t(spokenIn(l, zone))) : ['nothing']));
  out.push(`Audit log: ${s.audit.entries} entries, head ${s.audit.head.slice(0, 16)}\n`);
  return out.join('\n');
}

function obligationLines(o: ObligationStory, zone: string): string[] {
  const clock = o.dueAt ? `due ${when(o.dueAt, zone)}` : o.targetAt ? `expected by ${when(o.targetAt, zone)}` : 'no fixed deadline';
  const state =
    o.firstFiledAt !== undefined
      ? `filed ${when(o.firstFiledAt, zone)}${o.lateByMs ? ' (late; reasons given)' : ''}`
      : o.overdueByMs !== undefined
        ? 'OVERDUE, not filed'
        : 'not filed';
  return [
    `${o.ref} ${t(o.stage)} to ${t(o.recipient)} (${t(o.legalReference)})${o.required === 'unknown' ? ', if required' : ''}: ${clock}; ${state}`,
    ...o.filings.map((f) => `  #${f.seq} sent ${when(f.sentAt, zone)} by ${t(f.channel)}${f.reference ? `, reference ${t(f.reference)}` : ''}`),
  ];
}

function custodyLine(c: CustodyEvent, zone: string): string {
  const parties = [c.from ? `from ${t(c.from)}` : '', c.to ? `to ${t(c.to)}` : ''].filter(Boolean).join(' ');
  return `${when(c.at, zone)} ${c.action} by ${t(c.actor)}${parties ? ` ${parties}` : ''}${c.outcome ? `: ${t(c.outcome)}` : ''}${c.note ? ` (${t(c.note)})` : ''}`;
}

export function renderEvidence(items: EvidenceItem[], zone = DEFAULT_ZONE): string {
  if (items.length === 0) return 'No evidence registered.\n';
  return items
    .map((e) =>
      section(`${e.ref} ${e.kind} ${t(e.location)}`, [
        `sha256 ${e.sha256}, ${e.size} bytes${e.kind === 'folder' ? `, ${e.fileCount} files` : ''}`,
        `source ${t(e.source)}; collected by ${t(e.collectedBy)} at ${when(e.collectedAt, zone)}; added by ${t(e.addedBy)} at ${when(e.addedAt, zone)}`,
        ...e.custody.map((c) => custodyLine(c, zone)),
      ]),
    )
    .join('');
}

export function renderAdded(a: AddedEvidence): string {
  const e = a.item;
  const lines = [`${e.ref}: ${e.kind} ${t(e.location)}`, `  sha256 ${e.sha256}, ${e.size} bytes, ${e.fileCount} file(s)`];
  if (a.sameAs.length) lines.push(`  note: the same content is already registered as ${a.sameAs.join(', ')}`);
  for (const s of a.skipped) lines.push(`  not hashed: ${t(s.relpath)}: ${t(s.reason)}`);
  const c = a.collection;
  if (c) {
    const bad = c.changed.length + c.missing.length + c.unlisted.length;
    lines.push(
      `  collected on ${t(c.server)} by ${t(c.collectedBy)}: ${bad ? `MANIFEST NOT MATCHED: ${c.verified} of ${c.files} file(s) as hashed on the server` : `all ${c.files} file(s) match the manifest`}`,
    );
    for (const x of c.changed.slice(0, 20)) lines.push(`  changed since collection: ${t(x.path)}`);
    for (const p of c.missing.slice(0, 20)) lines.push(`  missing: ${t(p)}`);
    for (const p of c.unlisted.slice(0, 20)) lines.push(`  not in the manifest: ${t(p)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderVerification(results: EvidenceVerification[], audit: AuditCheck): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.ref} ${r.intact ? 'intact' : 'CHANGED'}: ${t(r.location)} (${r.files} file(s))`);
    for (const c of r.changes.slice(0, 50)) {
      out.push(
        `  ${c.change}: ${t(c.relpath)}${c.expected ? ` expected ${c.expected.slice(0, 16)}…` : ''}${c.actual ? ` found ${t(c.actual.slice(0, 64))}` : ''}`,
      );
    }
    if (r.changes.length > 50) out.push(`  … and ${r.changes.length - 50} more (use --json for all)`);
  }
  if (results.length === 0) out.push('No evidence registered.');
  out.push(renderAuditCheck(audit));
  return `${out.join('\n')}\n`;
}

export function renderActions(actions: ActionState[], zone = DEFAULT_ZONE): string {
  let phase = '';
  const out: string[] = [];
  for (const a of actions) {
    if (a.phase !== phase) {
      phase = a.phase;
      out.push(`${t(phase)}:`);
    }
    out.push(`  ${actionLine(a, zone)}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderAction(a: ActionState, zone = DEFAULT_ZONE): string {
  return (
    [
      actionLine(a, zone),
      `  ${t(a.detail)}`,
      ...a.history.map(
        (e) =>
          `  ${when(e.at, zone)} ${e.status} by ${t(e.by)}${e.note ? `: ${t(e.note)}` : ''} (recorded by ${t(e.recordedBy)} at ${when(e.recordedAt, zone)})`,
      ),
    ].join('\n') + '\n'
  );
}

function decisionLine(d: Decision, zone: string): string {
  const on = d.obligation ? ` on ${d.obligation}: ${d.outcome ?? ''}${d.ground ? ` (${t(d.ground)})` : ''};` : '';
  return (
    `${d.ref} [${d.kind}]${on} ${t(d.decision)}: decided by ${t(d.decidedBy)} at ${when(d.decidedAt, zone)}` +
    `${d.approvedBy ? `, approved by ${t(d.approvedBy)}${d.approvedAt ? ` at ${when(d.approvedAt, zone)}` : ''}` : ', not approved'}${d.supersedes ? `, supersedes ${d.supersedes}` : ''}`
  );
}

export function renderDecisions(decisions: Decision[], zone = DEFAULT_ZONE): string {
  if (decisions.length === 0) return 'No decisions recorded.\n';
  return decisions
    .map((d) =>
      section(decisionLine(d, zone) + (d.supersededBy ? ` (superseded by ${d.supersededBy})` : ''), [
        `rationale: ${t(d.rationale)}`,
        `evidence relied on: ${d.evidence.join(', ') || 'none named'}`,
      ]),
    )
    .join('');
}

export function renderAuditCheck(a: AuditCheck): string {
  const seals = `${a.seals.held} scan seal(s) hold${a.seals.unsealed > 0 ? `; ${a.seals.unsealed} scan(s) recorded before seals, not checked` : ''}`;
  if (a.intact) return `Audit chain intact: ${a.entries} entries, head ${a.head.slice(0, 16)}. ${seals}.`;
  return [
    `AUDIT CHAIN BROKEN: ${a.problems.length} problem(s) in ${a.entries} entries`,
    ...a.problems.map((p) => `  ${p.seq === undefined ? 'head' : `entry ${p.seq}`}: ${p.reason}`),
  ].join('\n');
}

/** A value in a table cell: text as it is, anything else as compact JSON, cut at `max` characters. */
function cell(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return t(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** What an audit entry changed, field by field: `status: open → done`, or what it recorded. */
function describeChange(before: unknown, after: unknown): string {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(after)) return before === undefined ? cell(after) : `${cell(before)} → ${cell(after)}`;
  const old = isRecord(before) ? before : {};
  const parts = Object.entries(after)
    .filter(([k, v]) => JSON.stringify(old[k]) !== JSON.stringify(v))
    .map(([k, v]) => (k in old ? `${t(k)}: ${cell(old[k], 30)} → ${cell(v, 30)}` : `${t(k)}: ${cell(v, 40)}`));
  return parts.join('; ') || 'no change';
}

/** The audit log as a table a person reads; `--json` gives the entries whole. */
export function renderAudit(entries: AuditEntry[], check: AuditCheck, zone = DEFAULT_ZONE): string {
  const rows = entries.map((e) => [
    String(e.seq),
    when(e.at, zone),
    t(e.actor),
    `${t(e.action)} ${t(e.entity)} ${t(e.entityId)}`,
    describeChange(e.before, e.after),
  ]);
  const header = ['Seq', 'When', 'Who', 'What', 'Change'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 4 ? (r[i] ?? '').length : 0))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line), '', renderAuditCheck(check)].join('\n')}\n`;
}

export function renderScanOutcome(ref: string, o: RecordScanOutcome): string {
  return (
    `case ${t(ref)}: scan ${o.scanId} recorded; added ${o.added.evidence} file(s) and ${o.added.findings} finding(s); ` +
    `${o.unchanged.evidence} file(s) and ${o.unchanged.findings} finding(s) were already in the case\n`
  );
}
