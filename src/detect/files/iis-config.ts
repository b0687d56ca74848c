// IIS's applicationHost.config, when a bundle holds it: the native modules IIS loads into every
// worker (Exchange's included) and the folders each site's virtual directories serve. One that points
// into ProgramData, a user's profile or a temporary folder is how attackers kept a backdoor or served a
// web shell after the exploit; the folders judged unusual are data (data/iis/unusual-places.json).
import { readFile } from 'node:fs/promises';
import type { Finding } from '../../core/types.js';
import { fileFinding } from './file-finding.js';
import type { Place } from './paths.js';
import type { FileFacts } from './types.js';

export const UNUSUAL_PLACES_FILE = new URL('../../../data/iis/unusual-places.json', import.meta.url);

export interface UnusualPlace {
  contains: string;
  what: string;
}

export async function loadUnusualPlaces(file: URL | string = UNUSUAL_PLACES_FILE): Promise<UnusualPlace[]> {
  const data = JSON.parse(await readFile(file, 'utf8')) as { places?: unknown };
  if (!Array.isArray(data.places)) throw new Error('no "places" list');
  return data.places.map((p: { contains?: unknown; what?: unknown }, i) => {
    if (typeof p.contains !== 'string' || typeof p.what !== 'string') throw new Error(`place ${i + 1} needs "contains" and "what"`);
    return { contains: p.contains.toLowerCase(), what: p.what };
  });
}

/** The configuration IIS itself reads: its root element holds `<system.applicationHost>`. */
export function isApplicationHostConfig(head: string): boolean {
  return /<configuration[\s>]/.test(head) && head.includes('<system.applicationHost>');
}

/** A module IIS loads or a folder it serves, with where the config says it. */
export interface IisEntry {
  kind: 'module' | 'virtual-directory';
  /** The module's name, or `site/app/vdir`. */
  name: string;
  path: string;
  line: number;
  offset: number;
}

const TAG = /<(\/?)([A-Za-z][\w.]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) out.set(m[1] as string, decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

function decodeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] as string);
}

/**
 * The native modules (`<globalModules>`, and `<isapiFilters>` for the same reason) and every virtual
 * directory with its site and application. Read leniently: a config cut short yields what precedes
 * the cut, and the caller says the file was incomplete.
 */
export function iisEntries(text: string): IisEntry[] {
  const out: IisEntry[] = [];
  const open: string[] = [];
  let site = '';
  let app = '';
  let line = 1;
  let counted = 0;
  const lineOf = (at: number): number => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    return line;
  };
  for (const m of text.matchAll(TAG)) {
    const [, closing, name = '', attrText = '', selfClosing] = m;
    if (closing) {
      if (open[open.length - 1] === name) open.pop();
      continue;
    }
    const attrs = attributes(attrText);
    const parent = open[open.length - 1];
    const at = m.index ?? 0;
    if (name === 'site') site = attrs.get('name') ?? '';
    if (name === 'application') app = attrs.get('path') ?? '';
    if (name === 'add' && parent === 'globalModules' && attrs.has('image')) {
      out.push({ kind: 'module', name: attrs.get('name') ?? '', path: attrs.get('image') as string, line: lineOf(at), offset: at });
    } else if (name === 'filter' && parent === 'isapiFilters' && attrs.has('path')) {
      out.push({ kind: 'module', name: attrs.get('name') ?? '', path: attrs.get('path') as string, line: lineOf(at), offset: at });
    } else if (name === 'virtualDirectory' && attrs.has('physicalPath')) {
      const vdir = attrs.get('path') ?? '';
      const where = `${site}${app === '/' ? '' : app}${vdir === '/' ? '' : vdir}` || '/';
      out.push({ kind: 'virtual-directory', name: where, path: attrs.get('physicalPath') as string, line: lineOf(at), offset: at });
    }
    if (!selfClosing) open.push(name);
  }
  return out;
}

function unusualPlace(path: string, places: readonly UnusualPlace[]): UnusualPlace | undefined {
  const lower = `${path.toLowerCase().replace(/\//g, '\\')}\\`;
  return places.find((p) => lower.includes(p.contains));
}

/** A finding for each module or virtual directory that points into one of the unusual places. */
export function checkIisConfig(file: FileFacts, place: Place, text: string, places: readonly UnusualPlace[], cut: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const entry of iisEntries(text)) {
    const where = unusualPlace(entry.path, places);
    if (!where) continue;
    const module = entry.kind === 'module';
    findings.push(
      fileFinding(file, place, {
        ruleId: module ? 'exir-iis-module-unusual-place' : 'exir-iis-vdir-unusual-place',
        title: module
          ? `IIS loads a native module from ${where.what}: a possible backdoor in every web request`
          : `An IIS virtual directory serves files from ${where.what}: a possible web shell folder`,
        // ProxyShell's web shells were served from such folders; a module cannot be tied to one CVE.
        cves: module ? [] : ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'],
        stage: 'post-exploitation',
        severity: 'high',
        line: entry.line,
        offset: entry.offset,
        fields: {
          [module ? 'module' : 'virtualDirectory']: entry.name,
          [module ? 'image' : 'physicalPath']: entry.path,
          ...(cut ? { note: 'the configuration was not read to its end' } : {}),
        },
      }),
    );
  }
  return findings;
}
