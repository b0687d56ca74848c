// A pack draft as one self-contained HTML page (also the source of the PDF). Every string from the
// case, the evidence or the firm is escaped, its control and bidi characters made visible; open
// questions are highlighted where they stand.

import { inertText } from '../../core/inert-text.js';
import { forHtml } from '../../core/neutralise.js';
import type { Draft, DraftField, DraftItem, DraftTable } from '../../regulatory/draft-types.js';
import { stampLine } from '../../regulatory/draft.js';

const CSS = `
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; line-height: 1.4; margin: 0; }
  main { max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
  h1 { font-size: 17pt; margin: 0 0 2mm 0; }
  h2 { font-size: 13pt; margin: 7mm 0 2mm 0; border-bottom: 1px solid #888; padding-bottom: 1mm; break-after: avoid; }
  h3 { font-size: 11pt; margin: 4mm 0 1mm 0; break-after: avoid; }
  .meta { color: #444; font-size: 9.5pt; margin: 0 0 3mm 0; }
  .draft { border: 2px solid #b00; color: #b00; font-weight: bold; padding: 2mm 3mm; margin: 3mm 0; }
  .caveats { background: #f3f3f3; border-left: 4px solid #666; padding: 2mm 4mm; margin: 3mm 0; font-size: 9.5pt; }
  .caveats li { margin: 1mm 0; }
  .openlist { background: #fff7cc; border-left: 4px solid #d4a000; padding: 2mm 4mm; margin: 3mm 0; font-size: 9.5pt; }
  .field { margin: 0 0 3mm 0; }
  .label, h3 { break-after: avoid; }
  .trace { break-before: avoid; }
  .label { font-weight: bold; }
  .value p { margin: 0.5mm 0; white-space: pre-wrap; }
  .open { background: #fff2a8; border: 1px solid #d4a000; padding: 1mm 2mm; margin: 1mm 0; }
  .open b { color: #8a5a00; }
  .trace { color: #666; font-size: 8pt; margin-top: 0.5mm; }
  .letter .value p { margin: 1.5mm 0; }
  table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 2mm 0; table-layout: fixed; }
  th, td { border: 1px solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: break-word; word-break: normal; hyphens: none; }
  th { background: #e8e8e8; }
  tr { break-inside: avoid; }
  .note { font-size: 8.5pt; color: #444; }
  .stamp { font-size: 7.5pt; color: #555; margin-top: 3mm; border-top: 1px solid #bbb; padding-top: 1mm; overflow-wrap: break-word; }
`;

/** Escaped for HTML, with control characters and bidi overrides shown, not obeyed (the PDF prints this page too). */
const e = (text: string): string => forHtml(inertText(text));

function trace(item: { trace: string[]; source: string }): string {
  // A send copy carries no provenance (its trace is emptied by src/regulatory/send-copy.ts).
  if (item.trace.length === 0 && item.source === '') return '';
  const from = item.trace.join('; ') || 'nothing in the case yet';
  // A question whose source is already said in where its answer came from is not said twice.
  const question = item.source && !from.includes(item.source) ? ` Question: ${e(item.source)}.` : '';
  return `<div class="trace">From: ${e(from)}.${question}</div>`;
}

function openBox(needed: string | undefined, partly: boolean): string {
  return needed ? `<div class="open"><b>${partly ? 'STILL OPEN' : 'OPEN QUESTION'}:</b> ${e(needed)}</div>` : '';
}

function field(f: DraftField): string {
  const value = f.lines.length ? `<div class="value">${f.lines.map((l) => `<p>${e(l)}</p>`).join('')}</div>` : '';
  return `<div class="field" id="${e(f.id)}"><div class="label">${e(f.label)}</div>${value}${openBox(f.open, f.lines.length > 0)}${trace(f)}</div>`;
}

/** Column widths in proportion to what they hold (capped), so short columns do not wrap and long ones do. */
function columns(t: DraftTable): string {
  const weight = t.columns.map((c, i) => {
    const avg = t.rows.reduce((sum, r) => sum + (r[i] ?? '').length, 0) / Math.max(1, t.rows.length);
    const headerWord = Math.max(...c.split(/\s+/).map((w) => w.length));
    // A header word must fit whole (8pt bold runs wider than the cells' text); a hash wraps in 16-character groups.
    const hashes = t.rows.length > 0 && t.rows.every((r) => /^[0-9a-fA-F]{32,}$/.test(r[i] ?? ''));
    return Math.max(headerWord * 1.4 + 2, Math.min(hashes ? 27 : 30, avg)) + 3;
  });
  const total = weight.reduce((a, b) => a + b, 0);
  return `<colgroup>${weight.map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('')}</colgroup>`;
}

/**
 * A cell's text, escaped, with break opportunities where a long value may wrap sensibly: after path
 * and URL separators, and between 16-character groups of a hash. Words themselves are never split.
 */
export function breakable(text: string): string {
  return text
    .split(/(\s+)/)
    .map((word) => {
      if (word.length <= 20) return e(word);
      if (/^[0-9a-fA-F]{32,}$/.test(word))
        return (
          word
            .match(/.{1,16}/g)
            ?.map(e)
            .join('<wbr>') ?? e(word)
        );
      return word
        .split(/(?<=[/\\_.?&=:,;-])/)
        .map(e)
        .join('<wbr>');
    })
    .join('');
}

function table(t: DraftTable): string {
  const head = `<tr>${t.columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${breakable(c)}</td>`).join('')}</tr>`).join('');
  return (
    `<div class="field" id="${e(t.id)}"><div class="label">${e(t.label)}</div>` +
    (t.rows.length ? `<table>${columns(t)}<thead>${head}</thead><tbody>${body}</tbody></table>` : '') +
    (t.note ? `<div class="note">${e(t.note)}</div>` : '') +
    openBox(t.open, t.rows.length > 0) +
    trace(t) +
    '</div>'
  );
}

/** A bare part (letterhead, date, addressee, signature) stands without its label in the copy sent; the working copy names it. */
function letterItem(item: DraftItem, send: boolean): string {
  if (item.kind === 'table') return table(item);
  const paras = item.lines.map((l) => `<p>${e(l)}</p>`).join('');
  return `<div class="field" id="${e(item.id)}">${item.bare && send ? '' : `<h3>${e(item.label)}</h3>`}<div class="value">${paras}</div>${openBox(item.open, item.lines.length > 0)}${trace(item)}</div>`;
}

export function renderPackHtml(d: Draft): string {
  const sections = d.sections
    .map(
      (s) =>
        `<section class="${s.style}">${s.title ? `<h2>${e(s.title)}</h2>` : ''}${s.items.map((i) => (s.style === 'letter' ? letterItem(i, d.copy === 'send') : i.kind === 'table' ? table(i) : field(i))).join('')}</section>`,
    )
    .join('');
  const openList = d.open.length
    ? `<div class="openlist"><b>${d.open.length} open question(s)</b><ol>${d.open.map((o) => `<li><a href="#${e(o.id)}">${e(o.label)}</a>: ${e(o.needed)}</li>`).join('')}</ol></div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(d.title)}${d.copy === 'send' ? '' : `: ${e(d.caseRef)}`}</title><style>${CSS}</style></head>
<body><main>
<h1>${e(d.title)}</h1>
${
  d.copy === 'send'
    ? `<p class="meta">${e(d.firmName)} · ${e(d.generatedAtShown)}</p>`
    : `<p class="meta">${e(d.firmName)} · case ${e(d.caseRef)} · drafted ${e(d.generatedAtShown)} · times in ${e(d.timeZone)}${d.assessmentVersion !== undefined ? ` · assessment v${d.assessmentVersion}` : ' · no assessment yet'}</p>
<p class="meta">Basis: ${e(d.basis)}</p>
<div class="draft">DRAFT, not sent. ${d.open.length ? `${d.open.length} question(s) still open, highlighted below.` : 'No open questions.'}</div>
<div class="caveats"><ul>${d.caveats.map((c) => `<li>${e(c)}</li>`).join('')}</ul></div>
${openList}`
}
${sections}
<p class="stamp">${e(stampLine(d))}</p>
</main></body></html>
`;
}
