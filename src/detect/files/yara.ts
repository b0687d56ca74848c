// Compiles the YARA rule files once (YARA-X through @litko/yara-x) and scans file content with them.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleMatch, YaraX } from '@litko/yara-x';
import { MAILBOX_LEVELS, SEVERITIES, STAGES, type MailboxLevel, type Severity, type Stage, type Warning } from '../../core/types.js';
import { readRuleMeta } from './yara-meta.js';

// Required, not imported (src/evidence/yauzl.ts says why): as an ES module, Node read the package's
// 24 KB CommonJS loader through its lexer for its exports, 20 ms, and V8 then compiled that lexer
// (about 60 ms of CPU), in every scan that checks files.
const { compile, validate } = createRequire(import.meta.url)('@litko/yara-x') as typeof import('@litko/yara-x');

export const DEFAULT_YARA_DIR = fileURLToPath(new URL('../../../rules/yara/', import.meta.url));

/**
 * External variables every rule may use, as LOKI/THOR define them, so rule sets written for those
 * tools (signature-base) compile: `extension` keeps its dot (".aspx").
 */
const YARA_VARIABLES = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;
export type YaraVariables = Partial<Record<(typeof YARA_VARIABLES)[number], string>>;

const MAX_MATCHES_PER_PATTERN = 64;

interface YaraRuleInfo {
  name: string;
  file: string;
  line: number;
  id: string;
  title: string;
  description: string;
  stage: Stage;
  severity: Severity;
  cves: string[];
  reference: string;
  /** False for rules without exir's meta (foreign rule sets): their stage is a default. */
  exirMeta: boolean;
  /** exir meta `mailbox`: a match shows a mailbox's content was copied out (a PST export). */
  mailbox: MailboxLevel | undefined;
}

export interface YaraSet {
  scanner: YaraX | undefined;
  rules: Map<string, YaraRuleInfo>;
  /** Rule files compiled, in order. */
  files: string[];
}

export interface YaraHit {
  rule: YaraRuleInfo;
  /** First matched string: offset and a short excerpt. */
  offset: number;
  excerpt: string;
  identifiers: string[];
}

function ruleInfo(file: string, name: string, line: number, meta: Record<string, string | number | boolean>, warnings: Warning[]): YaraRuleInfo {
  const text = (key: string): string | undefined => {
    const value = meta[key];
    return typeof value === 'string' ? value : undefined;
  };
  const stage = text('stage');
  const severity = text('severity');
  const exirMeta = stage !== undefined;
  if (stage !== undefined && !(STAGES as readonly string[]).includes(stage)) {
    warnings.push({
      where: `${file}:${line}`,
      message: `rule ${name}: stage must be one of ${STAGES.join(', ')}; got ${JSON.stringify(stage)}; read as exploited`,
    });
  }
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    warnings.push({ where: `${file}:${line}`, message: `rule ${name}: severity must be one of ${SEVERITIES.join(', ')}; got ${JSON.stringify(severity)}` });
  }
  const score = typeof meta.score === 'number' ? meta.score : undefined;
  return {
    name,
    file,
    line,
    id: text('id') ?? `yara:${name}`,
    title: text('title') ?? text('description') ?? name,
    description: text('description') ?? '',
    stage: stage && (STAGES as readonly string[]).includes(stage) ? (stage as Stage) : 'exploited',
    severity:
      severity && (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : score !== undefined && score >= 80 ? 'high' : 'medium',
    cves: (text('cves') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    reference: text('reference') ?? '',
    mailbox: (MAILBOX_LEVELS as readonly string[]).includes(text('mailbox') ?? '') ? (text('mailbox') as MailboxLevel) : undefined,
    exirMeta,
  };
}

async function ruleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(yar|yara)$/i.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

const COMPILE_OPTIONS = { defineVariables: Object.fromEntries(YARA_VARIABLES.map((v) => [v, ''])) };

/** YARA-X writes the place as ` --> line:3:13`; the binding gives no separate field for it. */
function errorLine(message: string): number | undefined {
  const m = / --> line:(\d+):\d+/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function tryCompile(source: string): { scanner?: YaraX; error?: string } {
  try {
    return { scanner: compile(source, COMPILE_OPTIONS) as YaraX };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Compiles every rule file of the folders into one scanner. A file that does not compile is
 * reported with its position and left out; the others still load.
 */
export async function loadYara(dirs: string[] = [DEFAULT_YARA_DIR]): Promise<{ set: YaraSet; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const set: YaraSet = { scanner: undefined, rules: new Map(), files: [] };
  const accepted: { file: string; source: string; metas: ReturnType<typeof readRuleMeta> }[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = await ruleFiles(dir);
    } catch (err) {
      warnings.push({ where: dir, message: `YARA folder not read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      continue;
    }
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      const check = validate(source, COMPILE_OPTIONS);
      if (check.errors.length > 0) {
        for (const e of check.errors) {
          const line = errorLine(e.message);
          warnings.push({ where: line ? `${file}:${line}` : file, message: `YARA rule file not loaded: ${firstLine(e.message)}` });
        }
        continue;
      }
      const metas = readRuleMeta(source);
      const clash = metas.find((m) => set.rules.has(m.name));
      if (clash) {
        warnings.push({
          where: `${file}:${clash.line}`,
          message: `YARA rule file not loaded: rule ${clash.name} is already defined in ${set.rules.get(clash.name)?.file ?? 'another file'}`,
        });
        continue;
      }
      for (const m of metas) set.rules.set(m.name, ruleInfo(file, m.name, m.line, m.meta, warnings));
      accepted.push({ file, source, metas });
    }
  }
  // One compile for all files: each file compiled on its own above, so a failure here is a clash
  // between files; then files are added one at a time and the one that breaks is left out.
  let combined = accepted.map((a) => a.source).join('\n');
  let result = accepted.length > 0 ? tryCompile(combined) : {};
  if (result.error) {
    combined = '';
    for (const a of accepted) {
      const next = tryCompile(`${combined}\n${a.source}`);
      if (next.error) {
        warnings.push({ where: a.file, message: `YARA rule file not loaded: ${firstLine(next.error)}` });
        for (const m of a.metas) set.rules.delete(m.name);
      } else {
        combined = `${combined}\n${a.source}`;
        result = next;
      }
    }
  }
  for (const a of accepted) if (a.metas.every((m) => set.rules.get(m.name)?.file === a.file)) set.files.push(a.file);
  if (result.scanner && set.rules.size > 0) {
    // Recording every hit of a common word (Request, <script) costs more than the search in dense
    // pages; exir's rules test presence only, and counts above this stay true for `#a > n` rules.
    result.scanner.setMaxMatchesPerPattern(MAX_MATCHES_PER_PATTERN);
    set.scanner = result.scanner;
  }
  return { set, warnings };
}

function printable(data: string): string {
  // Matched bytes are attacker-controlled: keep them short and visible, never raw control characters.
  let out = '';
  for (const ch of data.slice(0, 120)) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

function toHits(set: YaraSet, matches: RuleMatch[]): YaraHit[] {
  const hits: YaraHit[] = [];
  for (const m of matches) {
    const rule = set.rules.get(m.ruleIdentifier);
    if (!rule) continue;
    const first = [...m.matches].sort((a, b) => a.offset - b.offset)[0];
    hits.push({
      rule,
      offset: first?.offset ?? 0,
      excerpt: first ? printable(first.data) : '',
      identifiers: [...new Set(m.matches.map((x) => x.identifier))].sort(),
    });
  }
  return hits;
}

export async function scanWithYara(set: YaraSet, data: Buffer, variables: YaraVariables): Promise<YaraHit[]> {
  if (!set.scanner) return [];
  return toHits(set, await set.scanner.scanAsync(data, variables));
}
