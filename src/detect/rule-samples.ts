import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LogRecord } from '../core/types.js';
import { peek } from '../evidence/open.js';
import { meetsNeeds } from '../sources/bytes/record-needs.js';
import { SNIFF_BYTES, sniffBytes } from '../sources/registry.js';
import { writingOf } from './detector.js';
import { fieldAccesses, loadMappings, logsourceReaches, viewsFor, type Mappings, type SourceMapping } from './mapping.js';
import { loadPlaceholders } from './placeholders.js';
import { findRuleFiles, MAPPINGS_DIR } from './ruleset.js';
import { compileRules, type CompiledRule, type Placeholders } from './sigma/index.js';
import { resolveNeed } from './sigma/need.js';

/** One check of one rule against one of its samples. */
export interface SampleCheck {
  rule: string;
  sample: string | undefined;
  ok: boolean;
  message: string;
}

async function listSamples(dir: string): Promise<string[]> {
  try {
    const items = await readdir(dir, { withFileTypes: true });
    return items
      .filter((i) => i.isFile())
      .map((i) => join(dir, i.name))
      .sort();
  } catch {
    return [];
  }
}

async function readSample(file: string): Promise<{ records: LogRecord[]; kind: string; bad: number } | string> {
  const iterator = createReadStream(file)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const { head, rest } = await peek(iterator, SNIFF_BYTES);
  const found = sniffBytes(head);
  if (!found) return 'not a log format exir reads';
  const records: LogRecord[] = [];
  const stats = await found.reader.read(rest, { path: file, onRecord: (r) => records.push(r) });
  return { records, kind: stats.kind, bad: stats.badRecords };
}

function literalPresent(rule: CompiledRule, record: LogRecord): boolean {
  if (rule.literals === null) return true;
  const raw = record.raw.toLowerCase();
  return rule.literals.some((l) => raw.includes(l));
}

/** The strings of the rule's need (need.ts) the record lacks, as the log's source writes them; [] when it meets it. */
function needMissed(rule: CompiledRule, record: LogRecord, mapping: SourceMapping): string[] {
  const clauses = resolveNeed(rule.need(), writingOf(mapping));
  return clauses.filter((c) => !meetsNeeds([[c]], record.raw)).map((c) => c.join(' | '));
}

/** What checking a rule against its samples needs once per run: the mappings, placeholders and each sample read once. */
export interface SampleContext {
  mappings: Mappings;
  placeholders: Placeholders;
  samples: Map<string, Promise<Awaited<ReturnType<typeof readSample>>>>;
}

export async function sampleContext(mappingFile = MAPPINGS_DIR): Promise<SampleContext> {
  return { mappings: await loadMappings(mappingFile), placeholders: await loadPlaceholders(), samples: new Map() };
}

function readOnce(ctx: SampleContext, file: string): ReturnType<typeof readSample> {
  let read = ctx.samples.get(file);
  if (!read) ctx.samples.set(file, (read = readSample(file)));
  return read;
}

/** A rule file's samples folder: `x.yml` keeps them in `x.tests/match/` and `x.tests/nomatch/`. */
function testsDirOf(ruleFile: string): string {
  return ruleFile.replace(/\.ya?ml$/i, '.tests');
}

/**
 * Runs every rule on the samples beside it: each record of a `match/` sample must match (and carry
 * one of the rule's pre-filter literals, or the scanner would never show it the record), no record
 * of a `nomatch/` sample may. A rule without both kinds of sample fails.
 */
export async function checkRuleSamples(rulesDir: string, mappingFile = MAPPINGS_DIR): Promise<SampleCheck[]> {
  const ctx = await sampleContext(mappingFile);
  const checks: SampleCheck[] = [];
  for (const file of await findRuleFiles(rulesDir)) {
    checks.push(...(await checkRuleText(await readFile(file, 'utf8'), file, rulesDir, ctx)));
  }
  return checks;
}

/** One rule file's text (as written, or changed on purpose) against the samples beside `file`. */
export async function checkRuleText(text: string, file: string, rulesDir: string, ctx: SampleContext): Promise<SampleCheck[]> {
  const shown = relative(rulesDir, file);
  const checks: SampleCheck[] = [];
  const { rules, errors } = compileRules(text, file, { placeholders: ctx.placeholders });
  for (const error of errors) {
    checks.push({ rule: shown, sample: undefined, ok: false, message: `does not load: ${error.line ? `line ${error.line}: ` : ''}${error.message}` });
  }
  const rule = rules[0];
  if (!rule) return checks;
  const testsDir = testsDirOf(file);
  const exists = await stat(testsDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const matchSamples = await listSamples(join(testsDir, 'match'));
  const missSamples = await listSamples(join(testsDir, 'nomatch'));
  if (!exists || matchSamples.length === 0 || missSamples.length === 0) {
    checks.push({
      rule: shown,
      sample: undefined,
      ok: false,
      message: `needs samples beside it: ${relative(rulesDir, testsDir)}/match/ and /nomatch/, at least one file each`,
    });
    return checks;
  }
  const reached = [...ctx.mappings.values()].filter((m) => m.views.some((v) => logsourceReaches(rule.rule.logsource, v.logsource)));
  for (const [expect, samples] of [
    ['match', matchSamples],
    ['nomatch', missSamples],
  ] as const) {
    for (const sample of samples) {
      const sampleName = relative(rulesDir, sample);
      const read = await readOnce(ctx, sample);
      if (typeof read === 'string') {
        checks.push({ rule: shown, sample: sampleName, ok: false, message: read });
        continue;
      }
      const mapping = reached.find((m) => m.kind === read.kind);
      if (!mapping) {
        checks.push({ rule: shown, sample: sampleName, ok: false, message: `sample is a ${read.kind} log, which the rule's logsource does not reach` });
        continue;
      }
      if (read.records.length === 0 || read.bad > 0) {
        checks.push({
          rule: shown,
          sample: sampleName,
          ok: false,
          message: `sample has ${read.records.length} readable and ${read.bad} unreadable record(s)`,
        });
        continue;
      }
      const problems: string[] = [];
      for (const record of read.records) {
        // The record is seen through each view of its log that applies to it and that the rule reaches.
        const views = viewsFor(record, mapping).filter((v) => logsourceReaches(rule.rule.logsource, v.logsource));
        if (views.length === 0) {
          problems.push(`line ${record.origin.line} is not a record the rule's logsource reaches`);
          continue;
        }
        const matched = views.some((v) => fieldAccesses(record, v.fields, mapping.lists).some((a) => rule.match(a)));
        if (expect === 'match' && !matched) problems.push(`line ${record.origin.line} does not match`);
        if (expect === 'match' && matched && !literalPresent(rule, record))
          problems.push(`line ${record.origin.line} matches but holds none of the pre-filter literals`);
        const missed = expect === 'match' && matched ? needMissed(rule, record, mapping) : [];
        if (missed.length > 0) problems.push(`line ${record.origin.line} matches but lacks what the pre-filter's check asks: ${missed.join('; ')}`);
        if (expect === 'nomatch' && matched) problems.push(`line ${record.origin.line} matches but must not`);
      }
      checks.push({
        rule: shown,
        sample: sampleName,
        ok: problems.length === 0,
        message: problems.length ? problems.join('; ') : `${expect === 'match' ? 'matches' : 'does not match'} (${read.records.length} record(s))`,
      });
    }
  }
  return checks;
}
