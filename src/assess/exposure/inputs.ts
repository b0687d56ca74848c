// Every form in which people paste an Exchange build: a bare build, AdminDisplayVersion, ExSetup's
// FileVersion, CliXml of Get-Command ExSetup or Get-ExchangeServer, Format-List text, a CSV inventory.
// Each reading records whether it can show Security Updates at all.

import type { Warning } from '../../core/types.js';
import { readCliXml, type PsObject } from './clixml.js';
import { parseCsv, sniffDelimiter } from './csv.js';
import { parseAdminDisplayVersion, parseDotted, type ExchangeBuild } from './version.js';

export type ReadingKind =
  /** ExSetup.exe FileVersion/ProductVersion: the build Security Updates change. */
  | 'exsetup'
  /** Get-ExchangeServer AdminDisplayVersion: written at CU setup, never by an SU. */
  | 'admin-display-version'
  /** A bare four-part build, source unstated. */
  | 'build'
  /** A three-part build (OWA paths): CU only. */
  | 'cu-build'
  /** The X-OWA-Version header a probe read: four parts, the OWA build. */
  | 'x-owa-version'
  /** The build the server's own HttpProxy logs wrote (Major…RevisionVersion): the running front end's. */
  | 'log-build';

export interface BuildReading {
  /** Server name as the input gave it; undefined when the input names none. */
  server: string | undefined;
  build: ExchangeBuild;
  kind: ReadingKind;
  /** The text the build was read from. */
  text: string;
  /** file:line, or "argument N". */
  origin: string;
}

export interface ReadResult {
  format: 'clixml' | 'csv' | 'format-list' | 'text';
  readings: BuildReading[];
  warnings: Warning[];
}

const ADV_IN_TEXT = /Version\s+\d{1,3}\.\d{1,3}\s*\(\s*Build\s+\d{1,6}\.\d{1,6}\s*\)/i;
const DOTTED_IN_TEXT = /(?<![\d.])\d{1,2}\.\d{1,2}\.\d{1,4}(?:\.\d{1,4})?(?![\d.])/;

/** One build from one value: AdminDisplayVersion form, or a dotted build. */
export function readBuildValue(text: string, hint?: ReadingKind): { build: ExchangeBuild; kind: ReadingKind } | undefined {
  const adv = parseAdminDisplayVersion(text);
  if (adv) return { build: adv, kind: 'admin-display-version' };
  const dotted = parseDotted(text);
  if (!dotted) return undefined;
  if (dotted.precision === 'cu') return { build: dotted, kind: 'cu-build' };
  return { build: dotted, kind: hint === 'exsetup' ? 'exsetup' : hint === 'admin-display-version' ? 'admin-display-version' : 'build' };
}

/** The first build found anywhere in a line of text. */
function findBuildInText(line: string): { text: string; index: number } | undefined {
  const adv = ADV_IN_TEXT.exec(line);
  if (adv) return { text: adv[0], index: adv.index };
  const dotted = DOTTED_IN_TEXT.exec(line);
  if (dotted) return { text: dotted[0], index: dotted.index };
  return undefined;
}

function cleanServer(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

// ---------------------------------------------------------------- CliXml

function propText(o: PsObject, name: string): string | undefined {
  for (const [k, v] of o.props) if (k.toLowerCase() === name.toLowerCase()) return typeof v === 'string' ? v : v.toString;
  return undefined;
}

function propObj(o: PsObject, name: string): PsObject | undefined {
  for (const [k, v] of o.props) if (k.toLowerCase() === name.toLowerCase() && typeof v !== 'string') return v;
  return undefined;
}

function fromFileVersionInfo(o: PsObject): string | undefined {
  return propText(o, 'FileVersionRaw') ?? propText(o, 'FileVersion') ?? propText(o, 'ProductVersionRaw') ?? propText(o, 'ProductVersion');
}

function readObject(o: PsObject, origin: string, warnings: Warning[]): BuildReading | undefined {
  const server = cleanServer(propText(o, 'PSComputerName') ?? propText(o, 'Fqdn') ?? propText(o, 'Name'));
  const adv = propText(o, 'AdminDisplayVersion');
  if (adv !== undefined) {
    const r = readBuildValue(adv, 'admin-display-version');
    if (r) return { server, build: r.build, kind: 'admin-display-version', text: adv, origin };
    warnings.push({ where: origin, message: `AdminDisplayVersion "${adv}" is not a build` });
    return undefined;
  }
  // Get-Command ExSetup gives an ApplicationInfo whose FileVersionInfo is nested; a bare FileVersionInfo has the fields itself.
  const fvi = o.types.some((t) => t === 'System.Diagnostics.FileVersionInfo') ? o : propObj(o, 'FileVersionInfo');
  const fv = fvi ? fromFileVersionInfo(fvi) : fromFileVersionInfo(o);
  if (fv !== undefined) {
    const r = readBuildValue(fv, 'exsetup');
    if (r) return { server, build: r.build, kind: r.kind === 'build' ? 'exsetup' : r.kind, text: fv, origin };
    warnings.push({ where: origin, message: `FileVersion "${fv}" is not a build` });
    return undefined;
  }
  if (o.types.includes('Microsoft.Exchange.Data.ServerVersion') || (propText(o, 'Major') && propText(o, 'Build'))) {
    const parts = ['Major', 'Minor', 'Build', 'Revision'].map((k) => propText(o, k));
    if (parts.every((p) => p !== undefined && /^\d{1,6}$/.test(p))) {
      const [major, minor, build, revision] = parts.map((p) => Number.parseInt(p ?? '', 10));
      return {
        server,
        origin,
        kind: 'admin-display-version',
        text: o.toString ?? parts.join('.'),
        build: { major: major ?? 0, minor: minor ?? 0, build: build ?? 0, revision, precision: 'cu' },
      };
    }
  }
  warnings.push({ where: origin, message: `object of type ${o.types[0] ?? 'unknown'} carries no Exchange build` });
  return undefined;
}

function readClixmlText(content: string, source: string): ReadResult {
  const warnings: Warning[] = [];
  const objects = readCliXml(content);
  const readings: BuildReading[] = [];
  objects.forEach((o, i) => {
    const r = readObject(o, `${source} object ${i + 1}`, warnings);
    if (r) readings.push(r);
  });
  return { format: 'clixml', readings, warnings };
}

// ---------------------------------------------------------------- CSV

const SERVER_COLUMNS = ['server', 'servername', 'name', 'computername', 'pscomputername', 'host', 'hostname', 'fqdn', 'machine'];
const EXSETUP_COLUMNS = ['fileversion', 'productversion', 'exsetup', 'exsetupversion', 'exsetupfileversion'];
const BUILD_COLUMNS = ['build', 'buildnumber', 'version', 'exchangeversion', 'exchangebuild'];
const ADV_COLUMNS = ['admindisplayversion'];

function norm(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function looksLikeCsvHeader(line: string): boolean {
  const delim = sniffDelimiter(line);
  const cells = line.split(delim).map((c) => norm(c.replace(/^"|"$/g, '')));
  const known = [...EXSETUP_COLUMNS, ...BUILD_COLUMNS, ...ADV_COLUMNS];
  return cells.length > 1 && cells.some((c) => known.includes(c));
}

function readCsvText(content: string, source: string): ReadResult {
  const warnings: Warning[] = [];
  const firstLine = content.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  const rows = parseCsv(content, sniffDelimiter(firstLine));
  const header = rows.shift();
  const readings: BuildReading[] = [];
  if (!header) return { format: 'csv', readings, warnings };
  const cols = header.cells.map(norm);
  const find = (names: string[]): number[] => names.map((n) => cols.indexOf(n)).filter((i) => i >= 0);
  const serverCol = find(SERVER_COLUMNS)[0];
  const ordered: [number, ReadingKind | undefined][] = [
    ...find(EXSETUP_COLUMNS).map((i): [number, ReadingKind] => [i, 'exsetup']),
    ...find(BUILD_COLUMNS).map((i): [number, undefined] => [i, undefined]),
    ...find(ADV_COLUMNS).map((i): [number, ReadingKind] => [i, 'admin-display-version']),
  ];
  for (const row of rows) {
    const origin = `${source}:${row.line}`;
    const server = serverCol === undefined ? undefined : cleanServer(row.cells[serverCol]);
    let read: BuildReading | undefined;
    const tried: string[] = [];
    for (const [col, hint] of ordered) {
      const value = row.cells[col]?.trim();
      if (!value) continue;
      tried.push(value);
      const r = readBuildValue(value, hint);
      if (r) {
        read = { server, build: r.build, kind: r.kind, text: value, origin };
        break;
      }
    }
    if (read) readings.push(read);
    else if (row.cells.some((c) => c.trim() !== '')) {
      warnings.push({ where: origin, message: tried.length ? `no build in ${tried.map((t) => `"${t}"`).join(', ')}` : 'row has no build value' });
    }
  }
  return { format: 'csv', readings, warnings };
}

// ---------------------------------------------------------------- Format-List and plain text

const FL_LINE = /^\s*([A-Za-z][\w]*)\s*:\s?(.*)$/;

function isFormatList(lines: string[]): boolean {
  const keys = lines.map((l) => FL_LINE.exec(l)?.[1]?.toLowerCase()).filter((k): k is string => k !== undefined);
  return keys.includes('admindisplayversion') || (keys.includes('fileversion') && keys.includes('filename'));
}

function readFormatList(lines: string[], source: string): ReadResult {
  const warnings: Warning[] = [];
  const readings: BuildReading[] = [];
  let record = new Map<string, { value: string; line: number }>();
  let start = 0;
  const flush = (): void => {
    if (record.size === 0) return;
    const get = (k: string): { value: string; line: number } | undefined => record.get(k);
    const server = cleanServer(get('pscomputername')?.value ?? get('fqdn')?.value ?? get('name')?.value);
    const adv = get('admindisplayversion');
    const fv = get('fileversion') ?? get('productversion');
    const pick = fv ? { v: fv, hint: 'exsetup' as const } : adv ? { v: adv, hint: 'admin-display-version' as const } : undefined;
    if (pick) {
      const origin = `${source}:${pick.v.line}`;
      const r = readBuildValue(pick.v.value, pick.hint);
      if (r) readings.push({ server, build: r.build, kind: r.kind === 'build' ? pick.hint : r.kind, text: pick.v.value, origin });
      else warnings.push({ where: origin, message: `"${pick.v.value}" is not a build` });
    } else {
      warnings.push({ where: `${source}:${start}`, message: 'record has no AdminDisplayVersion or FileVersion' });
    }
    record = new Map();
  };
  lines.forEach((raw, i) => {
    const m = FL_LINE.exec(raw);
    if (!m) {
      if (raw.trim() === '') flush();
      return;
    }
    const key = (m[1] ?? '').toLowerCase();
    if (record.size === 0) start = i + 1;
    if (record.has(key)) flush();
    if (record.size === 0) start = i + 1;
    record.set(key, { value: (m[2] ?? '').trim(), line: i + 1 });
  });
  flush();
  return { format: 'format-list', readings, warnings };
}

function readPlainText(lines: string[], source: string): ReadResult {
  const warnings: Warning[] = [];
  const readings: BuildReading[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || /^-{3,}/.test(line) || /^ProductVersion\s+FileVersion/i.test(line)) return;
    const origin = `${source}:${i + 1}`;
    const found = findBuildInText(line);
    if (!found) {
      warnings.push({ where: origin, message: 'no build on this line' });
      return;
    }
    const r = readBuildValue(found.text, /fileversion|productversion|exsetup/i.test(line) || /\\ExSetup\.exe/i.test(line) ? 'exsetup' : undefined);
    if (!r) {
      warnings.push({ where: origin, message: `"${found.text}" is not a build` });
      return;
    }
    // "EX01 15.1.2176.9" or "EX01,15.1.2176.9": a name before the build; labels such as "FileVersion:" are not names.
    const before = line
      .slice(0, found.index)
      .replace(/[,;:=\t ]+$/, '')
      .trim();
    const server = before && /^[A-Za-z0-9][\w.-]*$/.test(before) && !/^(file|product)?version$/i.test(before) ? before : undefined;
    readings.push({ server, build: r.build, kind: r.kind, text: found.text, origin });
  });
  return { format: 'text', readings, warnings };
}

/** Reads one input's whole text, recognising its form by content, never by file name. */
export function readBuildInput(content: string, source: string): ReadResult {
  const text = content.replace(/^\ufeff/, '');
  if (/^\s*<Objs[\s>]/.test(text)) {
    try {
      return readClixmlText(text, source);
    } catch (err) {
      return { format: 'clixml', readings: [], warnings: [{ where: source, message: `unreadable CliXml: ${(err as Error).message}` }] };
    }
  }
  const lines = text.split(/\r?\n/);
  const firstData = lines.find((l) => l.trim() !== '') ?? '';
  if (looksLikeCsvHeader(firstData)) return readCsvText(text, source);
  if (isFormatList(lines)) return readFormatList(lines, source);
  return readPlainText(lines, source);
}

/** A build typed on the command line. */
export function readBuildArgument(text: string, index: number): BuildReading | undefined {
  const r = readBuildValue(text);
  return r ? { server: undefined, build: r.build, kind: r.kind, text, origin: `argument ${index}` } : undefined;
}

/** What a reading can and cannot show, in one sentence for the report. */
export function readingCaveat(kind: ReadingKind): string | undefined {
  switch (kind) {
    case 'admin-display-version':
      return 'AdminDisplayVersion does not change when a Security Update is installed: it shows the CU only.';
    case 'cu-build':
      return 'A three-part build shows the CU only, not the Security Update.';
    case 'build':
      return 'Assumed to be the ExSetup.exe FileVersion; if it was copied from AdminDisplayVersion, SUs are not shown.';
    case 'log-build':
      return "The build the server's own HttpProxy logs recorded at the time; the newest observation is shown.";
    case 'x-owa-version':
      return 'X-OWA-Version is the OWA build: it normally moves with Security Updates but can differ from ExSetup.';
    default:
      return undefined;
  }
}
