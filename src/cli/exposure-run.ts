// What `exir exposure` does, loaded only when it runs (exposure.ts registers the command).

import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  anyKnownExploitedExposure,
  assessReadings,
  compareCveRecords,
  compareKev,
  exposureReport,
  historiesFromLogs,
  loadSettings,
  loadTable,
  mergeMicrosoftPage,
  looksLikeCveRecords,
  looksLikeKevCatalogue,
  notAKnownBuild,
  probe,
  probeReading,
  readBuildArgument,
  readCveRecords,
  readKevCatalogue,
  readCssDictionary,
  compareCssDictionary,
  looksLikeCssDictionary,
  readBuildInput,
  readSettingsInput,
  renderConsole,
  renderCsv,
  renderJson,
  sameServer,
  serializeBuilds,
  TableError,
  type BuildReading,
  type ExposureTable,
  type ProbeResult,
  type ServerHistoryReport,
  type SettingFact,
  type SettingsFile,
} from '../assess/exposure/index.js';
import { safeText } from '../core/terminal-text.js';
import type { Warning } from '../core/types.js';
import { scan } from '../scan/run.js';
import { EXIT, type SetExit } from './exit-codes.js';

const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STALE_DAYS = 60;

export interface ExposureFlags {
  probe: string[];
  insecure?: boolean;
  json?: boolean;
  csv?: boolean;
  out?: string;
  asOf?: string;
  builds?: string;
  security?: string;
}

/** Where the command reads and writes; the process streams, or a test's buffers. */
export interface ExposureIO {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: () => string;
}

const SHOWN_WARNINGS = 40;

/** Warnings with their place, each made safe for the terminal; a long list is cut with a count. */
function writeWarnings(io: ExposureIO, warnings: Warning[], allInJson: boolean): void {
  for (const w of warnings.slice(0, SHOWN_WARNINGS)) io.err(`warning: ${w.where ? `${safeText(w.where)}: ` : ''}${safeText(w.message)}\n`);
  if (warnings.length > SHOWN_WARNINGS) {
    io.err(
      `warning: ${warnings.length - SHOWN_WARNINGS} more warning(s) not shown${allInJson ? '; every one is in the JSON output' : '; use --json to see them all'}\n`,
    );
  }
}

/** A folder or a .zip: evidence whose own logs show which build each server ran, and when. */
function isEvidenceBundle(arg: string): boolean {
  if (arg === '-' || !existsSync(arg)) return false;
  const info = statSync(arg);
  if (info.isDirectory()) return true;
  if (!info.isFile() || info.size < 4) return false;
  const head = Buffer.alloc(4);
  const fd = openSync(arg, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('latin1') === 'PK\x03\x04';
}

/**
 * Reads the bundles' logs for the build each server wrote into them (HttpProxy's version columns),
 * draws each server's patch history, and adds its newest build as a reading to assess.
 */
async function historiesFromEvidence(
  bundles: string[],
  table: ExposureTable,
  asOf: string,
  readings: BuildReading[],
  warnings: Warning[],
): Promise<ServerHistoryReport[]> {
  const result = await scan({ inputs: bundles });
  warnings.push(...result.warnings);
  const observations = result.evidence
    .filter((e) => e.kind === 'httpproxy' && e.build && e.server && e.firstTime)
    .map((e) => ({ server: e.server as string, time: e.firstTime as string, build: e.build as string, source: 'httpproxy' as const }));
  if (observations.length === 0) {
    warnings.push({ where: bundles.join(', '), message: 'no HttpProxy log in the evidence names the build it was written by' });
    return [];
  }
  const found = historiesFromLogs(table, observations, asOf);
  warnings.push(...found.warnings);
  readings.push(...found.readings);
  return found.histories;
}

/** Each argument is a file when one exists by that name, else a build typed on the command line. */
function readInputs(inputs: string[], warnings: Warning[], io: ExposureIO, settings: Settings): BuildReading[] {
  const readings: BuildReading[] = [];
  inputs.forEach((arg, i) => {
    if (arg === '-') {
      const r = readBuildInput(io.stdin(), 'stdin');
      readings.push(...r.readings);
      warnings.push(...r.warnings);
      return;
    }
    if (existsSync(arg) && statSync(arg).isFile()) {
      if (statSync(arg).size > MAX_INPUT_BYTES) {
        warnings.push({ where: arg, message: `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; not read` });
        return;
      }
      const content = readFileSync(arg, 'utf8');
      const r = readBuildInput(content, arg);
      // Health Checker's XML and configuration exports show settings; builds may be absent from them.
      const shown = r.format === 'clixml' ? readSettingsInput(content, arg, settings.file()) : { facts: [], warnings: [] };
      settings.facts.push(...shown.facts);
      warnings.push(...shown.warnings);
      if (r.readings.length === 0 && shown.facts.length > 0) return;
      if (r.readings.length === 0) warnings.push({ where: arg, message: `no Exchange build or setting found (read as ${r.format})` });
      readings.push(...r.readings);
      warnings.push(...r.warnings);
      return;
    }
    const r = readBuildArgument(arg, i + 1);
    if (r) readings.push(r);
    else warnings.push({ where: `argument ${i + 1}`, message: `"${arg}" is neither a readable file nor an Exchange build` });
  });
  return readings;
}

/** Settings read from the inputs; the settings map is loaded only when a CliXml file is given. */
interface Settings {
  facts: SettingFact[];
  file: () => SettingsFile;
}

function settingsReader(): Settings {
  let file: SettingsFile | undefined;
  return { facts: [], file: () => (file ??= loadSettings()) };
}

function openTable(flags: { builds?: string; security?: string }): ExposureTable {
  return loadTable({ ...(flags.builds ? { builds: flags.builds } : {}), ...(flags.security ? { security: flags.security } : {}) });
}

export async function runExposure(inputs: string[], flags: ExposureFlags, setExit: SetExit, io: ExposureIO): Promise<void> {
  if (flags.json && flags.csv) {
    io.err('exir: choose one of --json and --csv\n');
    setExit(EXIT.ERROR);
    return;
  }
  let table: ExposureTable;
  try {
    table = openTable(flags);
  } catch (err) {
    if (err instanceof TableError) {
      io.err(`exir: build table: ${safeText(err.message)}\n`);
      setExit(EXIT.ERROR);
      return;
    }
    throw err;
  }
  const now = new Date();
  const asOf = flags.asOf ?? now.toISOString().slice(0, 10);
  const warnings: Warning[] = [];
  const bundles = inputs.filter(isEvidenceBundle);
  const settings = settingsReader();
  let readings: BuildReading[];
  try {
    readings = readInputs(
      inputs.filter((i) => !bundles.includes(i)),
      warnings,
      io,
      settings,
    );
  } catch (err) {
    if (!(err instanceof TableError)) throw err;
    io.err(`exir: settings map: ${safeText(err.message)}\n`);
    setExit(EXIT.ERROR);
    return;
  }
  const histories = bundles.length ? await historiesFromEvidence(bundles, table, asOf, readings, warnings) : [];

  const probes: ProbeResult[] = [];
  const probed = new Map<BuildReading, ProbeResult>();
  for (const target of flags.probe) {
    let result: ProbeResult;
    try {
      result = await probe(target, { insecure: flags.insecure ?? false });
    } catch (err) {
      warnings.push({ where: target, message: (err as Error).message });
      setExit(EXIT.ERROR);
      continue;
    }
    probes.push(result);
    warnings.push(...result.warnings);
    if (result.failed) {
      // Not a clean result: the host was never asked anything.
      io.err(`exir: probe of ${safeText(result.target)} failed: ${safeText(result.failed)}\n`);
      setExit(EXIT.ERROR);
    }
    const reading = probeReading(result);
    if (reading) {
      readings.push(reading);
      probed.set(reading, result);
    }
  }

  // A build no Exchange version has is a typo or a misread: an error, never a verdict of "fixed".
  const mistakes = readings.filter((r) => notAKnownBuild(table, r.build) !== undefined);
  for (const r of mistakes) {
    warnings.push({ where: r.origin, message: `${notAKnownBuild(table, r.build) ?? ''} (read from "${r.text}")` });
    readings.splice(readings.indexOf(r), 1);
  }
  if (mistakes.length) setExit(EXIT.ERROR);
  const mistakeLine = mistakes.length
    ? `exir: ${mistakes.length} input${mistakes.length === 1 ? ' is' : 's are'} not an Exchange build this table knows (see the warnings); check ${mistakes.length === 1 ? 'it' : 'them'} and run again\n`
    : '';

  if (readings.length === 0 && probes.length === 0) {
    writeWarnings(io, warnings, false);
    if (mistakeLine) io.err(mistakeLine);
    io.err('exir: nothing to assess: give builds, files, or --probe URL\n');
    setExit(EXIT.ERROR);
    return;
  }
  const named = readings.map((r) => r.server).filter((n): n is string => n !== undefined);
  for (const server of new Set(settings.facts.map((f) => f.server).filter((n): n is string => n !== undefined))) {
    if (!named.some((n) => sameServer(n, server))) {
      warnings.push({
        where: server,
        message: `the settings of ${server} were read but match no server assessed; give its build with its name (a CSV or "${server} <build>")`,
      });
    }
  }
  const servers = assessReadings(table, readings, {
    asOf,
    probes: probed,
    ...(settings.facts.length ? { settings: { file: settings.file(), facts: settings.facts } } : {}),
  });
  const report = exposureReport(table, servers, probes, warnings, now, asOf, histories);
  if (report.table.ageDays > STALE_DAYS) {
    io.err(
      `warning: the build table was checked ${report.table.checked}, ${report.table.ageDays} days ago; updates since then are unknown to it (exir exposure update --from <Microsoft's page>)\n`,
    );
  }
  writeWarnings(io, warnings, flags.json === true);
  if (mistakeLine) io.err(mistakeLine);
  const text = flags.json ? renderJson(report) : flags.csv ? renderCsv(report) : renderConsole(report);
  if (flags.out) await writeFile(flags.out, text);
  else io.out(text);
  setExit(anyKnownExploitedExposure(report) ? EXIT.FINDINGS : EXIT.CLEAN);
}

export interface UpdateFlags {
  from: string;
  table?: string;
  write?: string;
  dryRun?: boolean;
}

export async function runUpdate(flags: UpdateFlags, parentFlags: ExposureFlags, setExit: SetExit, io: ExposureIO): Promise<void> {
  // Commander gives `exposure`'s own options to it even when they follow `update`; refuse rather than
  // write over the shipped table when someone meant --out or --builds for the update.
  const misplaced = (['out', 'builds', 'security', 'json', 'csv'] as const).filter((k) => parentFlags[k] !== undefined);
  if (misplaced.length) {
    io.err(
      `exir: ${misplaced.map((k) => `--${k}`).join(', ')} ${misplaced.length === 1 ? 'is an option' : 'are options'} of "exposure", not of "update" (use --table and --write)\n`,
    );
    setExit(EXIT.ERROR);
    return;
  }
  let table: ExposureTable;
  let page: string;
  try {
    table = openTable(flags.table ? { builds: flags.table } : {});
    page = readFileSync(flags.from, 'utf8');
  } catch (err) {
    io.err(`exir: ${safeText((err as Error).message)}\n`);
    setExit(EXIT.ERROR);
    return;
  }
  if (looksLikeKevCatalogue(page)) {
    runKevUpdate(table, page, flags.from, setExit, io);
    return;
  }
  if (looksLikeCveRecords(page)) {
    runRecordsUpdate(table, page, flags.from, setExit, io);
    return;
  }
  if (looksLikeCssDictionary(page)) {
    runDictionaryUpdate(table, page, flags.from, setExit, io);
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const merged = mergeMicrosoftPage(table, page, basename(flags.from), today);
  writeWarnings(io, merged.warnings, false);
  const lines = [
    `Read ${merged.confirmed + merged.added.length} rows of ${safeText(basename(flags.from))}: ${merged.confirmed} known builds, ${merged.added.length} new.`,
    ...merged.added.map(
      (b) => `  new: ${b.build} ${b.product} ${b.level}${b.update ? ` ${b.update}` : ''} (${b.released ?? 'no date'}${b.kb ? `, ${b.kb}` : ''})`,
    ),
    ...merged.changed.map((c) => `  changed ${c.field} of ${c.build}: ${c.from ?? '(none)'} -> ${c.to}`),
  ];
  const newUpdates = [...new Set(merged.added.map((b) => b.update).filter((u): u is string => u !== undefined && !table.updates.has(u)))];
  if (newUpdates.length)
    lines.push(`  The CVE map has no entry for ${newUpdates.join(', ')}: servers without them are told these updates exist, not what they fix.`);
  if (merged.confirmed + merged.added.length === 0) {
    io.out(`${lines.join('\n')}\n`);
    io.err('exir: no build rows found; is this Microsoft\'s "Exchange Server build numbers and release dates" page?\n');
    setExit(EXIT.ERROR);
    return;
  }
  const target = flags.write ?? table.paths.builds;
  if (!flags.dryRun) {
    await writeFile(target, serializeBuilds(merged.file));
    lines.push(`Wrote ${target} (checked ${today}).`);
  } else {
    lines.push('Dry run: nothing written.');
  }
  io.out(`${lines.join('\n')}\n`);
  setExit(EXIT.CLEAN);
}

/** CVE records: what they say that the CVE map does not. Compared only; the map is edited by hand. */
function runRecordsUpdate(table: ExposureTable, text: string, from: string, setExit: SetExit, io: ExposureIO): void {
  const read = readCveRecords(table, text, basename(from));
  writeWarnings(io, read.warnings, false);
  if (read.records.length === 0) {
    io.err('exir: no CVE record found in the file\n');
    setExit(EXIT.ERROR);
    return;
  }
  const changes = compareCveRecords(table, read.records);
  const lines = [
    `Read ${read.records.length} CVE record${read.records.length === 1 ? '' : 's'} of ${safeText(basename(from))}: ${changes.length} difference${changes.length === 1 ? '' : 's'} from the CVE map.`,
    ...changes.map((c) => `  ${safeText(c.cve)}: ${safeText(c.text)}`),
    'The CVE map (data/exchange/security.json) is edited by hand from these lines; nothing was written.',
  ];
  io.out(`${lines.join('\n')}\n`);
  setExit(EXIT.CLEAN);
}

/** CISA's catalogue: the Exchange entries the CVE map does not flag, or flags otherwise. Compared only. */
function runKevUpdate(table: ExposureTable, text: string, from: string, setExit: SetExit, io: ExposureIO): void {
  const read = readKevCatalogue(text, basename(from));
  writeWarnings(io, read.warnings, false);
  if (read.entries.length === 0) {
    io.err("exir: no Microsoft Exchange entry found in CISA's catalogue\n");
    setExit(EXIT.ERROR);
    return;
  }
  const changes = compareKev(table, read.entries);
  const version = read.catalogVersion === undefined ? '' : ` (catalogue ${safeText(read.catalogVersion)})`;
  const lines = [
    `Read ${read.entries.length} Exchange entr${read.entries.length === 1 ? 'y' : 'ies'} of ${safeText(basename(from))}${version}: ${changes.length} difference${changes.length === 1 ? '' : 's'} from the CVE map.`,
    ...changes.map((c) => `  ${safeText(c.cve)}: ${safeText(c.text)}`),
    'The CVE map (data/exchange/security.json) and data/exchange/kev-exchange.json are edited by hand from these lines; nothing was written.',
  ];
  io.out(`${lines.join('\n')}\n`);
  setExit(EXIT.CLEAN);
}

/** CSS-Exchange's build dictionary: builds it has that the table lacks, and builds it names differently. */
function runDictionaryUpdate(table: ExposureTable, text: string, from: string, setExit: SetExit, io: ExposureIO): void {
  const read = readCssDictionary(text, basename(from));
  writeWarnings(io, read.warnings, false);
  if (read.builds.length === 0) {
    io.err("exir: no build found in CSS-Exchange's build dictionary\n");
    setExit(EXIT.ERROR);
    return;
  }
  const changes = compareCssDictionary(table, read.builds);
  const lines = [
    `Read ${read.builds.length} builds of CSS-Exchange's build dictionary in ${safeText(basename(from))}: ${changes.length} difference${changes.length === 1 ? '' : 's'} from the build table.`,
    ...changes.map((c) => `  ${safeText(c.text)}`),
    "The dictionary gives no dates or KBs: the build table (data/exchange/builds.json) is edited by hand, or refreshed from Microsoft's page; nothing was written.",
  ];
  io.out(`${lines.join('\n')}\n`);
  setExit(EXIT.CLEAN);
}
