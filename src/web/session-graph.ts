// Attacker sessions drawn as a graph, one band per session: IP → requests → web shells → commands
// → mailboxes, with times. Plain SVG with presentation attributes, so the same picture works inside
// the page, as a downloaded .svg, and drawn to a PNG.

import type { MailboxTouch, Session } from '../core/types.js';
import { safeText } from '../core/terminal-text.js';
import { html } from './html.js';
import type { Markup } from './html.js';

const COLS = ['Attacker IP', 'Requests', 'Web shells', 'Commands', 'Mailboxes'] as const;
const COL_W = 250;
const BOX_W = 220;
const LINE_H = 16;
const MAX_LINES = 6;

function clip(text: string, n = 32): string {
  const t = safeText(text);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function hhmm(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'time unknown';
}

function column(s: Session, mailboxes: MailboxTouch[]): string[][] {
  const commands = s.entries.filter(
    (e) => e.source === 'rps-cmdlet' || e.source === 'ecp-server' || e.source === 'winevent' || e.stage === 'post-exploitation',
  );
  const boxes = mailboxes.filter((m) => s.servers.some((v) => v.toLowerCase() === m.server.toLowerCase()));
  return [
    s.attackerIps.length ? s.attackerIps : ['unknown'],
    [`${s.entries.length} record(s), ${s.findings} finding(s)`, `first ${hhmm(s.firstTime)}`, `last ${hhmm(s.lastTime)}`, `servers: ${s.servers.join(', ')}`],
    s.webShells.length ? s.webShells : ['none seen'],
    commands.length ? commands.map((e) => `${(e.time ?? '').slice(11, 16)} ${e.summary}`) : ['none seen'],
    boxes.length ? boxes.map((m) => `${m.mailbox === '*' ? 'every mailbox on the server' : m.mailbox} (${m.level})`) : ['none seen'],
  ];
}

export function sessionGraph(sessions: Session[], mailboxes: MailboxTouch[], title: string): { svg: Markup; width: number; height: number } {
  const width = COLS.length * COL_W + 10;
  let y = 40;
  const bands: Markup[] = [];
  for (const s of sessions) {
    const cols = column(s, mailboxes);
    const rows = Math.min(MAX_LINES, Math.max(...cols.map((c) => c.length))) + 1;
    const h = rows * LINE_H + 12;
    const nodes = cols.map((lines, i) => {
      const x = 5 + i * COL_W;
      const shown = lines.slice(0, MAX_LINES);
      const more = lines.length - shown.length;
      const shell = i === 2 && s.webShells.length > 0;
      return html`<g
        ><rect
          x="${x}"
          y="${y + LINE_H}"
          width="${BOX_W}"
          height="${h - LINE_H}"
          rx="4"
          fill="${shell ? '#fbeeee' : '#eef3f8'}"
          stroke="${shell ? '#a40000' : '#12263a'}"
        ></rect>
        ${shown.map((l, j) => html`<text x="${x + 6}" y="${y + LINE_H * (j + 2)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11" fill="#1b1b1b">${clip(l)}</text>`)}
        ${more > 0 ? html`<text x="${x + 6}" y="${y + h + 10}" font-size="10" fill="#4a4a4a">and ${more} more</text>` : ''}
        ${i < COLS.length - 1 ? html`<path d="M${x + BOX_W} ${y + LINE_H + (h - LINE_H) / 2} H${x + COL_W}" stroke="#555" fill="none" marker-end="url(#arrow)"></path>` : ''}</g
      >`;
    });
    bands.push(
      html`<g
        ><text x="5" y="${y + 11}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12" font-weight="bold" fill="#1b1b1b"
          >Session ${clip(s.id, 40)}: ${s.stages.join(' → ')}</text
        >${nodes}</g
      >`,
    );
    y += h + 30;
  }
  const height = Math.max(80, y);
  const svg = html`<svg
    xmlns="http://www.w3.org/2000/svg"
    id="session-graph"
    role="img"
    aria-label="${title}"
    width="${width}"
    height="${height}"
    viewBox="0 0 ${width} ${height}"
  >
    <title>${title}</title>
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
        <path d="M0 0 L10 5 L0 10 z" fill="#555"></path>
      </marker>
    </defs>
    <rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"></rect>
    ${COLS.map((c, i) => html`<text x="${5 + i * COL_W}" y="18" font-family="DejaVu Sans, Arial, sans-serif" font-size="13" font-weight="bold" fill="#12263a">${c}</text>`)}
    ${sessions.length === 0 ? html`<text x="5" y="60" font-size="12" fill="#1b1b1b">No attacker session recorded.</text>` : bands}
  </svg>`;
  return { svg, width, height };
}
