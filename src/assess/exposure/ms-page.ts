// `exposure update --from FILE`: reads a newer copy of Microsoft's "Exchange Server build numbers and
// release dates" page (its Markdown source, the saved HTML, or the page's text) and merges its rows into
// the build table. Only builds, dates and KBs come in; the CVE map is never touched from here.

import { createHash } from 'node:crypto';
import type { Warning } from '../../core/types.js';
import { indexTable, productOf, type BuildEntry, type BuildKind, type BuildsFile, type ExposureTable } from './table.js';
import { compareBuilds, formatBuild, mustParse, parseDotted } from './version.js';

export interface PageRow {
  name: string;
  released: string;
  build: string;
  kb: string | undefined;
  line: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DATE = new RegExp(`\\b(${MONTHS.join('|')})\\s+(\\d{1,2}),\\s*(\\d{4})\\b`, 'i');
const BUILD = /(?<![\d.])(\d{1,2}\.\d{1,2}\.\d{1,4}\.\d{1,3})(?![\d.])/;
const NAME =
  /(Update Rollup \d+(?: v\d)? for Exchange Server 2010 SP3|Exchange Server (?:2010 SP3|(?:2013|2016|2019|SE) [A-Za-z0-9() ]+?))(?=\s*(?:\]|\||\(recalled|\s{2,}|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b))/;

function htmlToLines(html: string): string {
  return html
    .replace(/<a\b[^>]*href="[^"]*?(?:help|kb)\/(\d{6,7})[^"]*"[^>]*>/gi, ' [kb:$1] ')
    .replace(/<\/(tr|p|div|li|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' | ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** Every row of the page that has a product name, a date and a build. */
export function parseMicrosoftPage(text: string): { rows: PageRow[]; warnings: Warning[] } {
  const body = /<html[\s>]|<table[\s>]/i.test(text) ? htmlToLines(text) : text;
  const rows: PageRow[] = [];
  const warnings: Warning[] = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/&nbsp;/g, ' ');
    const build = BUILD.exec(line);
    const name = NAME.exec(line.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1 |'));
    if (!build || !name) return;
    const date = DATE.exec(line);
    if (!date) {
      warnings.push({ where: `line ${i + 1}`, message: `row for ${build[1] ?? ''} has no readable date` });
      return;
    }
    const month = MONTHS.indexOf((date[1] ?? '').toLowerCase()) + 1;
    const kb = /(?:help|kb)\/(\d{6,7})|\[kb:(\d{6,7})\]/i.exec(line);
    rows.push({
      name: (name[1] ?? '').replace(/\s+/g, ' ').trim(),
      released: `${date[3] ?? ''}-${String(month).padStart(2, '0')}-${(date[2] ?? '').padStart(2, '0')}`,
      build: build[1] ?? '',
      kb: kb ? `KB${kb[1] ?? kb[2] ?? ''}` : undefined,
      line: i + 1,
    });
  });
  return { rows, warnings };
}

interface NameParts {
  product: string;
  level: string;
  update: string | undefined;
  kind: BuildKind;
}

/** "Exchange Server 2019 CU15 Feb26SU" → exchange2019, CU15, Feb26SU. */
export function parseRowName(name: string): NameParts | undefined {
  const ru = /^Update Rollup (\d+)(?: v(\d))? for Exchange Server 2010 SP3$/.exec(name);
  if (ru) return { product: 'exchange2010', level: 'SP3', update: `RU${ru[1] ?? ''}${ru[2] ? `v${ru[2]}` : ''}`, kind: 'ru' };
  if (name === 'Exchange Server 2010 SP3') return { product: 'exchange2010', level: 'SP3', update: undefined, kind: 'sp' };
  const m = /^Exchange Server (2013|2016|2019|SE) (RTM|Preview|SP1|CU\d+)(?: \(\d{4}H\d\))?(?: ([A-Z][a-z]{2}\d{2}(?:SU|HU)(?:v\d)?))?$/.exec(name);
  if (!m) return undefined;
  const product = m[1] === 'SE' ? 'exchangeSE' : `exchange${m[1] ?? ''}`;
  const level = m[2] ?? '';
  const update = m[3];
  const kind: BuildKind = update ? (update.includes('HU') ? 'hu' : 'su') : level === 'Preview' ? 'preview' : level === 'RTM' ? 'rtm' : 'cu';
  return { product, level, update, kind };
}

export interface MergeResult {
  file: BuildsFile;
  added: BuildEntry[];
  changed: { build: string; field: 'released' | 'kb'; from: string | undefined; to: string }[];
  confirmed: number;
  warnings: Warning[];
  sourceId: string;
}

/**
 * Merges a page into a copy of the table. New builds are added; a known build gains the page as a
 * source and, where the page gives them, its date and KB. `today` is the check date written back.
 */
export function mergeMicrosoftPage(table: ExposureTable, pageText: string, fileName: string, today: string): MergeResult {
  const { rows, warnings } = parseMicrosoftPage(pageText);
  const sha = createHash('sha256').update(pageText).digest('hex');
  const newestRow = rows
    .map((r) => r.released)
    .sort()
    .pop();
  const sourceId = `ms-page-${today}`;
  const file: BuildsFile = structuredClone(table.builds);
  file.checked = today;
  file.sources = file.sources.filter((s) => s.id !== sourceId);
  file.sources.push({
    id: sourceId,
    title: 'Exchange Server build numbers and release dates (copy given to exir exposure update)',
    url: 'https://learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates',
    path: fileName,
    asOf: newestRow ?? today,
    checked: today,
    note: `sha256 ${sha}; ${rows.length} rows read`,
  });
  const byBuild = new Map(file.builds.map((b) => [formatBuild(mustParse(b.build)), b]));
  const added: BuildEntry[] = [];
  const changed: MergeResult['changed'] = [];
  let confirmed = 0;
  const scratch = indexTable(file, table.security, table.paths);
  for (const row of rows) {
    const where = `${fileName}:${row.line}`;
    const parts = parseRowName(row.name);
    const build = parseDotted(row.build);
    if (!parts || !build) {
      warnings.push({ where, message: `row "${row.name}" (${row.build}) is not a product this table covers` });
      continue;
    }
    const product = productOf(scratch, build);
    if (product?.id !== parts.product) {
      warnings.push({ where, message: `${row.build} does not belong to ${row.name}` });
      continue;
    }
    const key = formatBuild(build);
    const existing = byBuild.get(key);
    if (existing) {
      confirmed++;
      if (!existing.sources.includes(sourceId)) existing.sources.push(sourceId);
      if (existing.released !== row.released) {
        changed.push({ build: key, field: 'released', from: existing.released, to: row.released });
        existing.released = row.released;
        delete existing.releasedFrom;
      }
      if (row.kb && existing.kb !== row.kb) {
        changed.push({ build: key, field: 'kb', from: existing.kb, to: row.kb });
        existing.kb = row.kb;
      }
      continue;
    }
    const entry: BuildEntry = {
      build: key,
      product: parts.product,
      level: parts.level,
      kind: parts.kind,
      ...(parts.update ? { update: parts.update } : {}),
      released: row.released,
      ...(row.kb ? { kb: row.kb } : {}),
      sources: [sourceId],
    };
    file.builds.push(entry);
    byBuild.set(key, entry);
    added.push(entry);
  }
  file.builds.sort((a, b) => compareBuilds(mustParse(a.build), mustParse(b.build)));
  return { file, added, changed, confirmed, warnings, sourceId };
}

/** The file layout the table ships in: one source, product or build per line, so diffs stay readable. */
export function serializeBuilds(file: BuildsFile): string {
  const lines = ['{'];
  const keys = Object.keys(file) as (keyof BuildsFile)[];
  keys.forEach((k, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const v = file[k];
    if (Array.isArray(v)) {
      lines.push(`  ${JSON.stringify(k)}: [`);
      v.forEach((item, j) => lines.push(`    ${JSON.stringify(item)}${j < v.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
