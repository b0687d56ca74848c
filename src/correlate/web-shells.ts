// One web shell per page per server, whichever evidence shows it: the IIS log that answered it, the
// HttpProxy log that proxied it, the file found in the web folder. A responder reads one line per
// shell with every source, not three findings that look like three shells.
import type { Finding, WebShell, WebShellSource } from '../core/types.js';
// From the paths module itself: the package's index brings the file checker and its native YARA engine.
import { placeOf, urlPathOf } from '../detect/files/paths.js';
import { isAttack, stageRank } from './verdict.js';

const SHELL_PAGE = /\.(aspx|ashx|asmx|asp)$/i;
const SOURCE_ORDER: WebShellSource[] = ['iis', 'httpproxy', 'file'];

/** Which evidence a finding is, and the page it names, when it names one a web shell could be. */
function sighting(f: Finding): { source: WebShellSource; url: string } | undefined {
  if (!isAttack(f) || f.cappedBy || stageRank(f.stage) < stageRank('exploited')) return undefined;
  const iis = f.fields['cs-uri-stem'];
  const proxy = f.fields['UrlStem'];
  const path = f.fields['path'];
  if (iis !== undefined || proxy !== undefined) {
    const url = (iis ?? proxy ?? '').toLowerCase();
    return SHELL_PAGE.test(url) ? { source: iis !== undefined ? 'iis' : 'httpproxy', url } : undefined;
  }
  if (path !== undefined) {
    const url = urlPathOf(placeOf(path));
    return url && SHELL_PAGE.test(url) ? { source: 'file', url } : undefined;
  }
  return undefined;
}

/** Per server (as findings name it), its web shells, first seen first. */
export function webShellsByServer(findings: Finding[]): Map<string, WebShell[]> {
  const byKey = new Map<string, WebShell & { server: string }>();
  for (const f of findings) {
    const seen = sighting(f);
    if (!seen) continue;
    const key = `${f.server}\n${seen.url}`;
    let shell = byKey.get(key);
    if (!shell) byKey.set(key, (shell = { server: f.server, url: seen.url, sources: [], used: false, firstSeen: undefined, files: [] }));
    if (!shell.sources.includes(seen.source)) shell.sources.push(seen.source);
    if (f.stage === 'post-exploitation' && seen.source !== 'file') shell.used = true;
    if (f.time && (!shell.firstSeen || f.time < shell.firstSeen)) shell.firstSeen = f.time;
    const path = f.fields['path'];
    if (seen.source === 'file' && path && !shell.files.includes(path)) shell.files.push(path);
  }
  const out = new Map<string, WebShell[]>();
  for (const { server, ...shell } of byKey.values()) {
    shell.sources.sort((a, b) => SOURCE_ORDER.indexOf(a) - SOURCE_ORDER.indexOf(b));
    const list = out.get(server) ?? [];
    list.push(shell);
    out.set(server, list);
  }
  for (const list of out.values()) list.sort((a, b) => byFirstSeen(a.firstSeen, b.firstSeen) || a.url.localeCompare(b.url));
  return out;
}

/** Undated last. (A `~` stand-in sorted them first: localeCompare puts punctuation before digits.) */
function byFirstSeen(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
