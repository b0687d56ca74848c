// Plain-text views for the terminal: the clocks table and an assessment summary. Every string
// passes through safeText; the firm's answers and evidence alike may hold control characters.

import type { BreachAssessment } from '../assess/breach/types.js';
import { safeText } from '../core/terminal-text.js';
import type { Clock } from './clocks.js';
import { someReasons } from './resolvers.js';
import { showDuration, showTime } from './time.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function renderClocks(items: { caseRef: string; clock: Clock }[], tz: string, withCase: boolean): string {
  if (items.length === 0) return 'No obligations (make the assessment first: exir assess CASE).\n';
  const header = [...(withCase ? ['Case'] : []), 'Ref', 'Recipient', 'Stage', 'Due (or firm target)', 'Left', 'State'];
  const rows = items.map(({ caseRef, clock: k }) => [
    ...(withCase ? [safeText(caseRef)] : []),
    safeText(k.name),
    safeText(k.recipient),
    k.stage,
    k.dueAt ? showTime(k.dueAt, tz, false) : k.targetAt ? `target ${showTime(k.targetAt, tz, false)}` : 'no statutory hours',
    k.leftMs === undefined ? '' : k.leftMs < 0 ? `${showDuration(k.leftMs)} ago` : showDuration(k.leftMs),
    k.state,
  ]);
  const notes = items.map(
    ({ caseRef, clock: k }) =>
      `  ${withCase ? `${safeText(caseRef)} ` : ''}${safeText(k.name)} ${safeText(k.title)}: ${safeText(k.says)}. Law: ${safeText(k.law)} [${k.confirmation}]`,
  );
  return `${table(header, rows)}\n${notes.join('\n')}\n`;
}

export function renderAssessment(version: number, a: BreachAssessment, tz: string): string {
  const out: string[] = [`Assessment v${version} at ${showTime(a.assessedAt, tz)}`];
  if (a.enisa) {
    const e = a.enisa;
    out.push(`  ENISA: SE = DPC ${e.dpc} x EI ${e.ei.value} + CB ${e.cbTotal} = ${e.se} (${e.level})`);
    out.push(
      `    DPC base ${e.dpcBase.value}: ${safeText(e.dpcBase.why)}${e.dpcAdjustments.length ? `; adjustments ${e.dpcAdjustments.map((x) => `${x.delta} (${safeText(x.factor)})`).join(', ')}` : ''}`,
    );
    out.push(`    EI ${e.ei.value}: ${safeText(e.ei.why)}`);
    for (const [k, v] of Object.entries(e.cb)) out.push(`    ${k} ${v.value}: ${safeText(v.why)}`);
  } else {
    out.push('  ENISA: not scored yet (describe the data: answers datasets[].categories)');
  }
  if (a.override) out.push(`  overridden to ${a.override.level}: ${safeText(a.override.reason)}`);
  out.push(`  conclusion: ${a.conclusion ?? 'not reached'}`);
  if (a.cannotExcludeAccess) out.push(`  ACCESS CANNOT BE EXCLUDED: ${safeText(someReasons(a.cannotExcludeReasons))}`);
  for (const d of a.datasets) out.push(`  ${safeText(d.description)}: ${d.access}`);
  if (a.open.length) {
    out.push(`  open questions (${a.open.length}):`);
    for (const q of a.open) out.push(`    - ${safeText(q.question)} ${safeText(q.needed)}`);
  }
  return `${out.join('\n')}\n`;
}
