// Plain-text views of a case for the terminal. Every string passes through safeText: file names,
// finding fields and the team's own notes alike may hold control characters.

import { safeText } from '../core/terminal-text.js';
import type {
  ActionState, AddedEvidence, AuditCheck, AuditEntry, CaseListItem, CaseRecord, CaseStory, CustodyEvent, Decision, EvidenceItem,
  EvidenceVerification, RecordScanOutcome,
} from './types.js';

const t = (s: string | undefined): string => (s === undefined ? '-' : safeText(s));

/** UTC, to the second: `2021-03-05 14:00:00Z`. */
export function when(iso: string | undefined): string {
  if (iso === undefined) return 'not recorded';
  return iso.replace('T', ' ').replace(/\.000Z$/, 'Z').replace(/(\.\d{3})Z$/, '$1Z');
}

function section(title: string, lines: string[]): string {
  return `${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

export function renderCase(c: CaseRecord): string {
  const regs = c.firm.registrations.map((r) => `${t(r.scheme)} ${t(r.number)}`).join(', ') || 'none recorded';
  return [
    `${t(c.ref)}: ${t(c.title)}`,
    `  status          ${c.status}`,
    `  firm            ${t(c.firm.name)} (${t(c.firm.slug)}); registrations: ${regs}; DPO: ${c.firm.dpo === undefined ? 'not recorded' : t(c.firm.dpo)}`,
    `  occurred        ${c.occurredFrom || c.occurredTo ? `${when(c.occurredFrom)} to ${when(c.occurredTo)}` : 'not recorded'}`,
    `  detected        ${when(c.detectedAt)}`,
    `  aware           ${when(c.awareAt)}${c.awareReason ? ` (${t(c.awareReason)})` : ''}`,
    `  first reported  ${when(c.firstReportedAt)}`,
    `  servers         ${c.servers.map(t).join(', ') || 'none recorded'}`,
    `  opened          ${when(c.createdAt)} by ${t(c.createdBy)}`,
  ].join('\n') + '\n';
}

export function renderList(items: CaseListItem[]): string {
  if (items.length === 0) return 'No cases.\n';
  return items.map((c) =>
    `${t(c.ref)}  [${c.status}]  ${t(c.title)}  (evidence ${c.evidence}, findings ${c.findings}, open actions ${c.openActions}; opened ${when(c.createdAt)})`,
  ).join('\n') + '\n';
}

function actionLine(a: ActionState): string {
  const last = a.last ? ` by ${t(a.last.by)} at ${when(a.last.at)}${a.last.note ? `: ${t(a.last.note)}` : ''}` : '';
  return `[${a.status}] ${t(a.key)}: ${t(a.title)}${a.condition ? ` (${t(a.condition)})` : ''}${last}`;
}

export function renderStory(s: CaseStory): string {
  const out = [renderCase(s.case)];
  out.push(section('Verdicts', s.servers.length === 0 ? ['no servers yet'] :
    s.servers.map((v) => `${t(v.name)}: ${v.verdict ?? 'not scanned'}${v.summary ? `. ${t(v.summary)}` : ''}`)));
  const stages = Object.entries(s.findings.byStage).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(section('Scans', [
    `${s.scans.count} scan(s) recorded${s.scans.lastAt ? `, last at ${when(s.scans.lastAt)}` : ''}`,
    `${s.findings.total} finding(s)${stages ? `: ${stages}` : ''}${s.findings.benign ? ` (${s.findings.benign} known-benign)` : ''}`,
  ]));
  out.push(section('Mailboxes and data reached', s.reach.mailboxes.length
    ? s.reach.mailboxes.map((m) => `${m.level}: ${m.mailbox === '*' ? `every mailbox on ${t(m.server)}` : `${t(m.mailbox)} on ${t(m.server)}`}; ${t(m.how[0] ?? '')}`)
    : [s.scans.count ? 'no mailbox access by an attacker was seen in the scans' : 'not known yet: no scan recorded']));
  if (s.reach.gaps.length) out.push(section('What the evidence cannot see', s.reach.gaps.map(t)));
  out.push(section('Evidence', [
    `${s.evidence.items} item(s) registered`,
    ...(s.evidence.changedAtLastCheck.length ? [`CHANGED at last check: ${s.evidence.changedAtLastCheck.join(', ')}`] : []),
    ...(s.evidence.unverified.length ? [`not yet verified: ${s.evidence.unverified.join(', ')}`] : []),
  ]));
  out.push(section('Done', s.actions.done.length ? s.actions.done.map(actionLine) : ['nothing ticked off yet']));
  if (s.actions.other.length) out.push(section('Not applicable', s.actions.other.map(actionLine)));
  out.push(section('Decisions in force', s.decisions.length ? s.decisions.map(decisionLine) : ['none recorded']));
  out.push(section('Open', s.open.length ? s.open.map(t) : ['nothing']));
  out.push(`Audit log: ${s.audit.entries} entries, head ${s.audit.head.slice(0, 16)}\n`);
  return out.join('\n');
}

function custodyLine(c: CustodyEvent): string {
  const parties = [c.from ? `from ${t(c.from)}` : '', c.to ? `to ${t(c.to)}` : ''].filter(Boolean).join(' ');
  return `${when(c.at)} ${c.action} by ${t(c.actor)}${parties ? ` ${parties}` : ''}${c.outcome ? `: ${t(c.outcome)}` : ''}${c.note ? ` (${t(c.note)})` : ''}`;
}

export function renderEvidence(items: EvidenceItem[]): string {
  if (items.length === 0) return 'No evidence registered.\n';
  return items.map((e) => section(`${e.ref} ${e.kind} ${t(e.location)}`, [
    `sha256 ${e.sha256}, ${e.size} bytes${e.kind === 'folder' ? `, ${e.fileCount} files` : ''}`,
    `source ${t(e.source)}; collected by ${t(e.collectedBy)} at ${when(e.collectedAt)}; added by ${t(e.addedBy)} at ${when(e.addedAt)}`,
    ...e.custody.map(custodyLine),
  ])).join('');
}

export function renderAdded(a: AddedEvidence): string {
  const e = a.item;
  const lines = [`${e.ref}: ${e.kind} ${t(e.location)}`, `  sha256 ${e.sha256}, ${e.size} bytes, ${e.fileCount} file(s)`];
  if (a.sameAs.length) lines.push(`  note: the same content is already registered as ${a.sameAs.join(', ')}`);
  for (const s of a.skipped) lines.push(`  not hashed: ${t(s.relpath)}: ${t(s.reason)}`);
  const c = a.collection;
  if (c) {
    const bad = c.changed.length + c.missing.length + c.unlisted.length;
    lines.push(`  collected on ${t(c.server)} by ${t(c.collectedBy)}: ${bad ? `MANIFEST NOT MATCHED: ${c.verified} of ${c.files} file(s) as hashed on the server` : `all ${c.files} file(s) match the manifest`}`);
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
      out.push(`  ${c.change}: ${t(c.relpath)}${c.expected ? ` expected ${c.expected.slice(0, 16)}…` : ''}${c.actual ? ` found ${t(c.actual.slice(0, 64))}` : ''}`);
    }
    if (r.changes.length > 50) out.push(`  … and ${r.changes.length - 50} more (use --json for all)`);
  }
  if (results.length === 0) out.push('No evidence registered.');
  out.push(renderAuditCheck(audit));
  return `${out.join('\n')}\n`;
}

export function renderActions(actions: ActionState[]): string {
  let phase = '';
  const out: string[] = [];
  for (const a of actions) {
    if (a.phase !== phase) {
      phase = a.phase;
      out.push(`${t(phase)}:`);
    }
    out.push(`  ${actionLine(a)}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderAction(a: ActionState): string {
  return [
    actionLine(a),
    `  ${t(a.detail)}`,
    ...a.history.map((e) => `  ${when(e.at)} ${e.status} by ${t(e.by)}${e.note ? `: ${t(e.note)}` : ''} (recorded by ${t(e.recordedBy)} at ${when(e.recordedAt)})`),
  ].join('\n') + '\n';
}

function decisionLine(d: Decision): string {
  return `${d.ref} [${d.kind}] ${t(d.decision)}: decided by ${t(d.decidedBy)} at ${when(d.decidedAt)}` +
    `${d.approvedBy ? `, approved by ${t(d.approvedBy)}` : ', not approved'}${d.supersedes ? `, supersedes ${d.supersedes}` : ''}`;
}

export function renderDecisions(decisions: Decision[]): string {
  if (decisions.length === 0) return 'No decisions recorded.\n';
  return decisions.map((d) => section(decisionLine(d) + (d.supersededBy ? ` (superseded by ${d.supersededBy})` : ''), [
    `rationale: ${t(d.rationale)}`,
    `evidence relied on: ${d.evidence.join(', ') || 'none named'}`,
  ])).join('');
}

export function renderAuditCheck(a: AuditCheck): string {
  if (a.intact) return `Audit chain intact: ${a.entries} entries, head ${a.head.slice(0, 16)}.`;
  return [`AUDIT CHAIN BROKEN: ${a.problems.length} problem(s) in ${a.entries} entries`,
    ...a.problems.map((p) => `  ${p.seq === undefined ? 'head' : `entry ${p.seq}`}: ${p.reason}`)].join('\n');
}

export function renderAudit(entries: AuditEntry[], check: AuditCheck): string {
  const lines = entries.map((e) => {
    const change = e.before === undefined ? t(JSON.stringify(e.after)) : `${t(JSON.stringify(e.before))} -> ${t(JSON.stringify(e.after))}`;
    return `${String(e.seq).padStart(4)} ${when(e.at)} ${t(e.actor)} ${t(e.entity)} ${t(e.entityId)} ${t(e.action)} ${change}`;
  });
  return `${[...lines, renderAuditCheck(check)].join('\n')}\n`;
}

export function renderScanOutcome(ref: string, o: RecordScanOutcome): string {
  return `case ${t(ref)}: scan ${o.scanId} recorded; added ${o.added.evidence} file(s) and ${o.added.findings} finding(s); ` +
    `${o.unchanged.evidence} file(s) and ${o.unchanged.findings} finding(s) were already in the case\n`;
}
