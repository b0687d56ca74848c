// `exir phishing` as text and CSV: the domains protected, what message tracking showed, and the
// lookalikes to block (seen first, then registered, then the rest of the generated list).

import type { CasePhishing } from '../assess/phishing/of-case.js';
import { csvRow } from '../core/neutralise.js';
import { safeText } from '../core/terminal-text.js';
import { inZone } from '../core/zoned-time.js';

/** Generated lookalikes shown on the console; the full block list is in --csv and --json. */
const SHOWN = 20;

export function renderPhishingText(p: CasePhishing, zone: string): string {
  const lines: string[] = [`Phishing watch — ${safeText(p.case)}`, ''];
  lines.push(
    `Domains protected: ${p.domains.map((d) => `${safeText(d.domain)} (${d.whose}${d.from === 'case' ? ", from the case's mail" : ''})`).join(', ') || 'none'}`,
  );
  lines.push('', p.watch.length > 0 ? `Message tracking (${p.watch.length}):` : 'Message tracking: nothing found.');
  for (const h of p.watch) {
    lines.push(`  ${inZone(h.time, zone)}  ${h.kind.padEnd(22)} ${safeText(h.sender)} -> ${safeText(h.recipients)}  "${safeText(h.subject)}"`);
    lines.push(`      ${safeText(h.why)}  (${safeText(h.origin.path)}:${h.origin.line})`);
  }
  const seen = p.lookalikes.filter((l) => l.seen).length;
  const registered = p.lookalikes.filter((l) => l.registered === true).length;
  lines.push(
    '',
    `Lookalike domains to block: ${p.lookalikes.length} generated; ${seen} seen in the mail; ` +
      (p.resolved ? `${registered} registered in DNS.` : 'not checked in DNS (--resolve to ask).'),
  );
  for (const l of p.lookalikes.slice(0, SHOWN)) {
    const mark = l.seen ? 'SEEN' : l.registered ? 'REGISTERED' : '';
    lines.push(`  ${mark.padEnd(10)} ${safeText(l.domain)}${l.unicode ? ` (${safeText(l.unicode)})` : ''}  ${l.family} of ${safeText(l.of)}`);
  }
  if (p.lookalikes.length > SHOWN) lines.push(`  … and ${p.lookalikes.length - SHOWN} more (--csv or --json for the full list)`);
  if (p.limits.length > 0) {
    lines.push('', 'What the evidence cannot show:');
    for (const l of p.limits) lines.push(`  - ${safeText(l)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The block list: one row per lookalike, for a mail gateway or a DNS filter. */
export function renderPhishingCsv(p: CasePhishing): string {
  const rows = [csvRow(['domain', 'unicode', 'family', 'imitates', 'seen_in_mail', 'registered'])];
  for (const l of p.lookalikes)
    rows.push(csvRow([l.domain, l.unicode, l.family, l.of, l.seen ? 'yes' : 'no', l.registered === undefined ? '' : l.registered ? 'yes' : 'no']));
  return `${rows.join('\r\n')}\r\n`;
}
