// The file checks put together: known-good baseline, indicator lists, YARA, dumps and archives.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Finding, Severity, Warning } from '../../core/types.js';
import { compareToBaseline, DEFAULT_BASELINE_DIR, loadBaseline, normaliseBuild, type Baseline, type BaselineVerdict } from './baseline.js';
import { capStage, fileFinding } from './file-finding.js';
import { checkIisConfig, isApplicationHostConfig, loadUnusualPlaces, UNUSUAL_PLACES_FILE, type UnusualPlace } from './iis-config.js';
import { loadIocs, matchHashes, matchPath, type IocIndex, type LoadedIoc } from './ioc.js';
import { extensionOf, isServed, placeOf, type Place } from './paths.js';
import { checkArchive, checkDump, loadBenignArchives, type BenignArchive } from './staging.js';
import type { FileChecker, FileCheckerOptions, FileFacts } from './types.js';
import { loadYara, scanWithYara, type YaraHit, type YaraSet } from './yara.js';

export const DEFAULT_MAX_YARA_BYTES = 20 * 1024 * 1024;

const SEVERITY_ORDER: Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];
const maxSeverity = (list: Severity[]): Severity => list.reduce((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a), 'informational');

function iocSeverity(ioc: LoadedIoc): Severity {
  const { type, score } = ioc.entry;
  if (type === 'sha256' || type === 'sha1' || type === 'md5') return 'critical';
  if (type === 'path') return 'high';
  if (type === 'name') return 'medium';
  return score === undefined ? 'medium' : score >= 90 ? 'high' : score >= 70 ? 'medium' : 'low';
}

function iocFields(hits: LoadedIoc[]): Record<string, string> {
  const unique = <T>(xs: T[]): T[] => [...new Set(xs)];
  return {
    indicators: unique(hits.map((h) => `${h.entry.type}:${h.entry.value}${h.entry.score !== undefined ? ` (score ${h.entry.score})` : ''}`)).join(' | '),
    lists: unique(hits.map((h) => h.where)).join(', '),
    sources: unique(
      hits.map((h) => {
        const s = h.list.sources[h.entry.source];
        return s ? `${s.name} <${s.url}>` : h.entry.source;
      }),
    ).join(' | '),
    attribution: unique(hits.map((h) => h.list.attribution)).join(' | '),
    ...(hits.some((h) => h.entry.note) ? { notes: unique(hits.flatMap((h) => (h.entry.note ? [h.entry.note] : []))).join(' | ') } : {}),
    ...(hits.some((h) => h.list.wave) ? { wave: unique(hits.flatMap((h) => (h.list.wave ? [h.list.wave] : []))).join(', ') } : {}),
  };
}

function iocCves(hits: LoadedIoc[]): string[] {
  return [...new Set(hits.flatMap((h) => h.entry.cves ?? h.list.cves ?? []))].sort();
}

/** A YARA hit with the line it falls on, so a reader can open the file at it. */
type PlacedHit = YaraHit & { line: number };

/** The 1-based line holding byte `offset` of `data`. */
function lineAt(data: Uint8Array, offset: number): number {
  let line = 1;
  const end = Math.min(offset, data.length);
  for (let at = data.indexOf(0x0a); at !== -1 && at < end; at = data.indexOf(0x0a, at + 1)) line += 1;
  return line;
}

class FilesChecker implements FileChecker {
  private readonly pending: Warning[] = [];
  private closed = false;

  constructor(
    private readonly yara: YaraSet,
    private readonly iocs: IocIndex,
    private readonly baseline: Baseline | undefined,
    private readonly benign: BenignArchive[],
    private readonly places: UnusualPlace[],
    private readonly opts: FileCheckerOptions,
  ) {}

  takeWarnings(): Warning[] {
    return this.pending.splice(0);
  }

  close(): void {
    this.closed = true;
  }

  async check(file: FileFacts): Promise<Finding[]> {
    if (this.closed) throw new Error('file checker used after close()');
    const place = placeOf(file.path);
    const findings: Finding[] = [];
    const build = (file.server ? this.opts.builds?.[file.server.toUpperCase()] : undefined) ?? this.opts.build;
    const verdict: BaselineVerdict = this.baseline
      ? compareToBaseline(this.baseline, place, file.path, file.sha256, build)
      : { kind: 'not-compared', reason: 'baseline not loaded' };
    const knownGood = verdict.kind === 'known-good';

    const content = knownGood ? { hits: [] as PlacedHit[] } : await this.scanContent(file, place);
    findings.push(...this.yaraFindings(file, place, content.hits, content.scanned));

    const hashHits = matchHashes(this.iocs, { sha256: file.sha256, md5: file.md5 ?? content.md5, sha1: file.sha1 ?? content.sha1 });
    if (hashHits.length > 0) {
      findings.push(
        fileFinding(file, place, {
          ruleId: 'exir-file-ioc-hash',
          title: 'Known web shell or attacker file: its hash is on a published indicator list',
          cves: iocCves(hashHits),
          stage: 'post-exploitation',
          severity: 'critical',
          fields: iocFields(hashHits),
        }),
      );
    }

    const served = isServed(place.kind);
    const pathHits = matchPath(this.iocs, file.path).filter((h) => h.entry.type !== 'name' || served);
    if (pathHits.length > 0) {
      const good = verdict.kind === 'known-good' ? verdict : undefined;
      findings.push(
        fileFinding(file, place, {
          ruleId: 'exir-file-ioc-path',
          title: 'File at a path or with a name published for Exchange web shells',
          cves: iocCves(pathHits),
          stage: 'post-exploitation',
          severity: maxSeverity(pathHits.map(iocSeverity)),
          fields: iocFields(pathHits),
          ...(good ? { benign: `the path is on an indicator list, but the bytes are Microsoft's own file (baseline ${good.builds.join(', ')})` } : {}),
        }),
      );
    }

    findings.push(...(await this.iisConfigFindings(file, place)));

    const baselineFinding = this.baselineFinding(file, place, verdict);
    if (baselineFinding) findings.push(baselineFinding);
    if (!knownGood) {
      const dump = checkDump(file, place);
      if (dump) findings.push(dump);
      const archive = checkArchive(file, place, this.benign, this.opts.attackWindow);
      if (archive) findings.push(archive);
    }
    return findings;
  }

  private async iisConfigFindings(file: FileFacts, place: Place): Promise<Finding[]> {
    if (file.contentMissing || this.places.length === 0 || !isApplicationHostConfig(file.head.toString('utf8'))) return [];
    let data = file.head;
    let cut = false;
    if (file.size > file.head.length) {
      try {
        data = await file.read();
      } catch (err) {
        this.pending.push({
          where: file.path,
          message: `IIS configuration read only in its first ${file.head.length} bytes: ${err instanceof Error ? err.message : String(err)}`,
        });
        cut = true;
      }
    }
    return checkIisConfig(file, place, data.toString('utf8'), this.places, cut);
  }

  private async scanContent(file: FileFacts, place: Place): Promise<{ hits: PlacedHit[]; scanned?: string; md5?: string; sha1?: string }> {
    if (place.kind === 'other' || file.contentMissing || file.size === 0 || file.head.length === 0) return { hits: [] };
    const cap = this.opts.maxYaraBytes ?? DEFAULT_MAX_YARA_BYTES;
    let data = file.head;
    let scanned = 'whole file';
    if (file.size > file.head.length) {
      if (file.size <= cap) {
        try {
          data = await file.read();
        } catch (err) {
          this.pending.push({
            where: file.path,
            message: `content not read for YARA; its first ${file.head.length} bytes were scanned: ${err instanceof Error ? err.message : String(err)}`,
          });
          scanned = `first ${file.head.length} bytes (the rest could not be read)`;
        }
      } else {
        scanned = `first ${file.head.length} bytes (file larger than ${cap} bytes)`;
      }
    }
    const whole = data.length >= file.size;
    const ext = extensionOf(file.path);
    const hits = await scanWithYara(this.yara, data, {
      filename: basename(file.path.replace(/\\/g, '/')),
      filepath: file.path,
      extension: ext ? `.${ext}` : '',
    });
    return {
      hits: hits.map((hit) => ({ ...hit, line: lineAt(data, hit.offset) })),
      scanned,
      ...(whole && this.iocs.wantsMd5 && !file.md5 ? { md5: createHash('md5').update(data).digest('hex') } : {}),
      ...(whole && this.iocs.wantsSha1 && !file.sha1 ? { sha1: createHash('sha1').update(data).digest('hex') } : {}),
    };
  }

  private yaraFindings(file: FileFacts, place: Place, hits: PlacedHit[], scanned: string | undefined): Finding[] {
    const served = isServed(place.kind);
    return hits.map((hit) => {
      const notes = [
        ...(served ? [] : ['not in a folder a web server runs: shows the file was written, not that it was used']),
        ...(hit.rule.exirMeta ? [] : ['rule from a foreign set without exir stage meta: stage assumed']),
      ];
      return fileFinding(file, place, {
        ruleId: hit.rule.id,
        title: hit.rule.title,
        cves: hit.rule.cves,
        stage: served ? hit.rule.stage : capStage(hit.rule.stage, 'exploited'),
        severity: hit.rule.severity,
        offset: hit.offset,
        line: hit.line,
        fields: {
          yaraRule: hit.rule.name,
          ruleFile: basename(hit.rule.file),
          matched: hit.identifiers.join(','),
          excerpt: hit.excerpt,
          ...(hit.rule.mailbox ? { mailbox: hit.rule.mailbox } : {}),
          ...(scanned ? { scanned } : {}),
          ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
        },
      });
    });
  }

  private baselineFinding(file: FileFacts, place: Place, verdict: BaselineVerdict): Finding | undefined {
    if (verdict.kind !== 'unknown-file' && verdict.kind !== 'modified') return undefined;
    const unknown = verdict.kind === 'unknown-file';
    const source = this.baseline?.source;
    return fileFinding(file, place, {
      ruleId: unknown ? 'exir-file-baseline-unknown' : 'exir-file-baseline-modified',
      title: unknown
        ? 'File in an Exchange web folder that no Exchange build ships: possible web shell'
        : "Exchange web file whose bytes differ from Microsoft's: modified or replaced",
      stage: 'exploited',
      // Compared with every build held rather than the server's own: a newer build's file reads the same way.
      severity: verdict.union ? 'medium' : 'high',
      fields: {
        baselinePath: verdict.key,
        comparedWith: verdict.compared.join(', '),
        ...(verdict.note ? { baselineNote: verdict.note } : {}),
        ...(source ? { baselineSource: `${source.repo}@${source.commit.slice(0, 8)} ${source.path}` } : {}),
      },
    });
  }
}

export async function loadFileChecker(opts: FileCheckerOptions = {}): Promise<{ checker: FileChecker; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const yara = await loadYara(opts.yaraDirs);
  warnings.push(...yara.warnings);
  const iocs = await loadIocs(opts.iocDir);
  warnings.push(...iocs.warnings);
  const baselineDir = opts.baselineDir ?? DEFAULT_BASELINE_DIR;
  let baseline: Baseline | undefined;
  try {
    baseline = await loadBaseline(baselineDir);
  } catch (err) {
    warnings.push({
      where: baselineDir,
      message: `known-good file baseline not loaded; web files are not compared: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  if (baseline && opts.build && !baseline.builds.includes(normaliseBuild(opts.build))) {
    warnings.push({
      message: `no file baseline for build ${opts.build}; Exchange web files are compared with every build held (${baseline.builds.join(', ')})`,
    });
  }
  const benign = await loadBenignArchives(baselineDir);
  warnings.push(...benign.warnings);
  let places: UnusualPlace[] = [];
  try {
    places = await loadUnusualPlaces();
  } catch (err) {
    warnings.push({ where: UNUSUAL_PLACES_FILE.pathname, message: `IIS configuration not checked: ${err instanceof Error ? err.message : String(err)}` });
  }
  return { checker: new FilesChecker(yara.set, iocs.index, baseline, benign.list, places, opts), warnings };
}
