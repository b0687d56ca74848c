import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { STAGES, type Severity, type SourceKind, type Stage } from '../core/types.js';
import { logsourceReaches, type Mappings } from './mapping.js';
import { loadPlaceholders } from './placeholders.js';
import { cacheEntry, parseYaml, readCache, throughCache, writeCache, type CachedFile } from './rule-cache.js';
import { compilerId, isPlainRuleset, lazyRuleset, plainRuleset, type CompilerId, type PlainRuleset } from './ruleset-cache.js';
import type { CompiledRule, Placeholders, RuleError } from './sigma/index.js';
import { compileRuleData } from './sigma/rule-compile.js';
import { isRuleFileData, type RuleFileData } from './sigma/rule-data.js';
import { MAPPINGS_DIR, RULES_DIR, SHIPPED_SIGMA_DIR } from './rules-dirs.js';

export { MAPPINGS_DIR, RULES_DIR, SHIPPED_SIGMA_DIR };

/** A compiled rule with what exir needs to turn a match into a finding. */
export interface ExirRule {
  compiled: CompiledRule;
  id: string;
  title: string;
  stage: Stage;
  severity: Severity;
  cves: string[];
  /** For classifiers of known-harmless traffic: the reason shown when one matches. */
  benign: string | undefined;
  /** A classifier of the server's own traffic (`own_traffic: true`, Exchange's health probes), not of someone probing it. */
  ownTraffic: boolean;
  /** What a match means, as a phrase for the verdict sentence. */
  story: string | undefined;
  /** When this rule matches, the request went no further than its stage (rules/README.md, caps_request). */
  capsRequest: string | undefined;
  /** A published indicator (an attacker's address): context, never a verdict on its own (`indicator_only: true`). */
  indicatorOnly: boolean;
  /** Its hits from one client on one server are folded into one finding, listing the URLs (`fold: per-client`). */
  foldPerClient: boolean;
  /** A match counts only after a finding of one of these rules on the same server within the time (`after_rules`, `after_within_hours`). */
  after: { rules: string[]; withinMs: number } | undefined;
  sources: SourceKind[];
  /** File the rule came from, relative to its rules folder. */
  file: string;
}

export interface Ruleset {
  rules: ExirRule[];
  errors: RuleError[];
}

const LEVEL_TO_SEVERITY: Record<string, Severity> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

function stageOf(rule: CompiledRule, errors: RuleError[]): Stage {
  const stage = rule.rule.custom['stage'];
  if (typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)) return stage as Stage;
  if (stage !== undefined) {
    errors.push({ ...rule.location, ruleId: rule.rule.id, message: `stage must be one of ${STAGES.join(', ')}; got ${JSON.stringify(stage)}` });
  }
  // Public Sigma rules carry no stage: their level is the nearest thing to one.
  const level = rule.rule.level ?? '';
  return level === 'critical' ? 'exploited' : level === 'high' ? 'exploit-attempt' : 'probe';
}

function cvesOf(tags: string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const m = /^cve\.(\d{4}-\d{4,})$/i.exec(tag);
    if (m?.[1]) out.push(`CVE-${m[1]}`);
  }
  return out;
}

/** Every rule file under a folder, skipping the samples beside the rules. */
export async function findRuleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const item of items) {
    const full = join(dir, item.name);
    if (item.isDirectory()) {
      if (!item.name.endsWith('.tests')) out.push(...(await findRuleFiles(full)));
    } else if (/\.ya?ml$/i.test(item.name)) {
      out.push(full);
    }
  }
  return out;
}

/** The strings too common in ordinary log lines to make a good pre-filter (rules/mappings/prefilter.yml). */
async function loadCommonLiterals(file = join(MAPPINGS_DIR, 'prefilter.yml')): Promise<string[]> {
  const [doc] = await throughCache('prefilter', [{ path: file, text: await readFile(file, 'utf8') }], parseYaml, (_v): _v is unknown => true);
  const common = (doc as { common?: unknown } | null)?.common;
  return Array.isArray(common) ? common.filter((c): c is string => typeof c === 'string') : [];
}

/** Every rule file's plain-data form, from the cache when the files are those it was made from. */
async function readRuleFiles(texts: CachedFile[]): Promise<RuleFileData[]> {
  return throughCache(
    'rules',
    texts,
    async (all) => {
      const { readRuleFile } = await import('./sigma/rule-read.js');
      return all.map(readRuleFile);
    },
    isRuleFileData,
  );
}

function afterOf(rules: unknown, hours: unknown): ExirRule['after'] {
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((r) => typeof r === 'string')) return undefined;
  const within = typeof hours === 'number' && hours > 0 ? hours : 1;
  return { rules, withinMs: within * 3_600_000 };
}

/** Ids of the rules whose hits are folded per client whatever their stage. */
export function foldedRuleIds(ruleset: Ruleset): Set<string> {
  return new Set(ruleset.rules.filter((r) => r.foldPerClient).map((r) => r.id));
}

/**
 * Loads and compiles every rule in the folders; a broken rule is reported and skipped, never fatal.
 * With a cache folder and a built exir (`compiler`), the compiled set is kept and, while nothing it was
 * made from changes, read back instead, each rule's matcher compiled when it is first used.
 */
export async function loadRuleset(
  dirs: string[],
  mappings: Mappings,
  commonLiterals?: readonly string[],
  compiler: CompilerId | undefined = compilerId(),
): Promise<Ruleset> {
  const common = commonLiterals ?? (await loadCommonLiterals());
  const placeholders = await loadPlaceholders();
  const found = (await Promise.all(dirs.map(async (dir) => (await findRuleFiles(dir)).map((file) => ({ dir, file }))))).flat();
  // Read in one go, not one promise a file: for a hundred small files fs/promises spent ten times the
  // CPU (15 ms against 1.6 ms, December 2026) of start-up, when nothing else waits on the event loop.
  const texts = found.map(({ file }) => ({ path: file, text: readFileSync(file, 'utf8') }));
  const options = { commonLiterals: common, placeholders };
  const kinds = new Set<string>(mappings.keys());
  const entry =
    compiler === undefined
      ? undefined
      : cacheEntry(
          'compiled',
          [...dirs, ...texts.map((t) => t.path)],
          [
            compiler,
            dirs,
            common,
            [...placeholders],
            [...mappings.values()].map((m) => [m.kind, m.views.map((v) => v.logsource)]),
            texts.map((t) => [t.path, t.text]),
          ],
        );
  const cached = entry && (await readCache(entry, (v): v is PlainRuleset => isPlainRuleset(v, kinds)));
  if (cached) return lazyRuleset(cached, (i, data) => compileRuleData(data, texts[i]?.path ?? '', options).rules);
  const read = await readRuleFiles(texts);
  const { set, from } = compileAll(found, read, mappings, options);
  if (entry) await writeCache(entry, plainRuleset(set, from, read));
  return set;
}

function compileAll(
  found: { dir: string; file: string }[],
  read: RuleFileData[],
  mappings: Mappings,
  options: { commonLiterals: readonly string[]; placeholders: Placeholders },
): { set: Ruleset; from: [number, number][] } {
  const set: Ruleset = { rules: [], errors: [] };
  const from: [number, number][] = [];
  const seen = new Map<string, string>();
  for (const [i, { dir, file }] of found.entries()) {
    const shown = relative(dir, file);
    const { rules, errors } = compileRuleData(read[i] as RuleFileData, file, options);
    set.errors.push(...errors);
    for (const [place, compiled] of rules.entries()) {
      const meta = compiled.rule;
      const earlier = seen.get(meta.id);
      if (earlier) {
        set.errors.push({ ...compiled.location, ruleId: meta.id, message: `rule id ${meta.id} is already used by ${earlier}` });
        continue;
      }
      seen.set(meta.id, file);
      const sources = [...mappings.values()].filter((m) => m.views.some((v) => logsourceReaches(meta.logsource, v.logsource))).map((m) => m.kind);
      const benign = meta.custom['benign'];
      const caps = meta.custom['caps_request'];
      const story = meta.custom['story'];
      const after = afterOf(meta.custom['after_rules'], meta.custom['after_within_hours']);
      if (meta.custom['after_rules'] !== undefined && !after) {
        // Read as a plain rule it would report everyday administration on its own.
        set.errors.push({ ...compiled.location, ruleId: meta.id, message: 'after_rules must be a list of rule ids' });
        continue;
      }
      set.rules.push({
        compiled,
        id: meta.id,
        title: meta.title,
        stage: stageOf(compiled, set.errors),
        severity: LEVEL_TO_SEVERITY[meta.level ?? ''] ?? 'medium',
        cves: cvesOf(meta.tags),
        benign: typeof benign === 'string' && benign.trim() ? benign.trim() : undefined,
        capsRequest: typeof caps === 'string' && caps.trim() ? caps.trim() : undefined,
        story: typeof story === 'string' && story.trim() ? story.trim() : undefined,
        indicatorOnly: meta.custom['indicator_only'] === true,
        ownTraffic: meta.custom['own_traffic'] === true,
        foldPerClient: meta.custom['fold'] === 'per-client',
        after,
        sources,
        file: shown,
      });
      from.push([i, place]);
    }
  }
  return { set, from };
}
