// Credential dumps and exfiltration archives left where HAFNIUM and later waves staged them:
// lsass minidumps in C:\root, %WINDIR%\Temp, inetpub and ProgramData; archives in ProgramData
// (Test-ProxyLogon's two "other" checks, with the false positives its users reported answered).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Warning } from '../../core/types.js';
import { fileFinding } from './file-finding.js';
import { baseName, extensionOf, isServed, type Place } from './paths.js';
import type { FileFacts, TimeWindow } from './types.js';

const BENIGN_ARCHIVES_FILE = 'benign-archives.json';

export interface BenignArchive {
  product: string;
  /** Lower-case segments below ProgramData. */
  under: string[];
  names: RegExp;
  reason: string;
  source: { name: string; url: string; date: string };
}

interface BenignArchiveData {
  entries: { product: string; under: string; names: string; reason: string; source: { name: string; url: string; date: string } }[];
}

export async function loadBenignArchives(dir: string): Promise<{ list: BenignArchive[]; warnings: Warning[] }> {
  const file = join(dir, BENIGN_ARCHIVES_FILE);
  const warnings: Warning[] = [];
  let data: BenignArchiveData;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as BenignArchiveData;
  } catch (err) {
    return {
      list: [],
      warnings: [{ where: file, message: `known backup/antivirus archives not loaded: ${err instanceof Error ? err.message : String(err)}` }],
    };
  }
  const list: BenignArchive[] = [];
  (data.entries ?? []).forEach((e, i) => {
    try {
      if (!e.product || !e.under || !e.reason || !e.source?.url) throw new Error('needs product, under, names, reason and source');
      list.push({ ...e, under: e.under.toLowerCase().split(/[\\/]/).filter(Boolean), names: new RegExp(e.names, 'i') });
    } catch (err) {
      warnings.push({ where: `${file}#${i}`, message: `entry skipped: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  return { list, warnings };
}

const MDMP = Buffer.from('MDMP', 'latin1');
const MODULE_LIST_STREAM = 4;
const MODULE_SIZE = 108;

/**
 * The dumped process's file name, from the minidump's module list (the first module is the
 * executable), when the list and its name lie within the bytes given.
 */
export function minidumpProcess(head: Buffer): string | undefined {
  if (head.length < 32 || !head.subarray(0, 4).equals(MDMP)) return undefined;
  const streams = head.readUInt32LE(8);
  const dirRva = head.readUInt32LE(12);
  for (let i = 0; i < Math.min(streams, 64); i++) {
    const at = dirRva + i * 12;
    if (at + 12 > head.length) return undefined;
    if (head.readUInt32LE(at) !== MODULE_LIST_STREAM) continue;
    const list = head.readUInt32LE(at + 8);
    if (list + 4 + MODULE_SIZE > head.length || head.readUInt32LE(list) === 0) return undefined;
    const nameRva = head.readUInt32LE(list + 4 + 20);
    if (nameRva + 4 > head.length) return undefined;
    const bytes = head.readUInt32LE(nameRva);
    if (bytes === 0 || bytes > 1024 || nameRva + 4 + bytes > head.length) return undefined;
    const name = head.toString('utf16le', nameRva + 4, nameRva + 4 + bytes);
    return baseName(name.replace(/\\/g, '/')).toLowerCase() || undefined;
  }
  return undefined;
}

function underWer(place: Place): boolean {
  const s = place.segments;
  return s.some((seg, i) => seg === 'wer' && s[i - 1] === 'windows' && s[i - 2] === 'microsoft');
}

/** Memory dumps in the staging and web folders. */
export function checkDump(file: FileFacts, place: Place): Finding | undefined {
  if (place.kind === 'other') return undefined;
  const name = baseName(file.path).toLowerCase();
  const isMinidump = file.head.length >= 4 && file.head.subarray(0, 4).equals(MDMP);
  if (extensionOf(name) !== 'dmp' && !isMinidump) return undefined;
  const process = isMinidump ? minidumpProcess(file.head) : undefined;
  const lsass = name.includes('lsass') || process === 'lsass.exe';
  if (!lsass && !isMinidump) return undefined;
  const fields: Record<string, string> = {
    ...(process ? { dumpedProcess: process } : {}),
    format: isMinidump ? 'minidump (MDMP)' : file.contentMissing ? 'content not collected' : 'not a minidump header',
  };
  if (lsass) {
    return fileFinding(file, place, {
      ruleId: 'exir-file-lsass-dump',
      title: 'Memory dump of lsass.exe: credentials taken from the server',
      stage: 'post-exploitation',
      severity: 'critical',
      fields: { ...fields, why: process === 'lsass.exe' ? "the dump's module list names lsass.exe" : 'the file name names lsass' },
    });
  }
  if (process) {
    return fileFinding(file, place, {
      ruleId: 'exir-file-memory-dump',
      title: `Memory dump of ${process} in a staging folder`,
      stage: 'post-exploitation',
      severity: 'medium',
      fields,
      benign: underWer(place)
        ? `Windows Error Reporting crash dump of ${process}, not of lsass`
        : `memory dump of ${process}, not of lsass: read it only if the process matters to the case`,
    });
  }
  return fileFinding(file, place, {
    ruleId: 'exir-file-memory-dump',
    title: 'Memory dump of an unknown process in a staging folder: possible credential theft',
    stage: 'post-exploitation',
    severity: 'high',
    fields: { ...fields, why: 'minidump whose module list lies past the bytes read; HAFNIUM dumped lsass with comsvcs.dll MiniDump into these folders' },
  });
}

const ARCHIVE_EXTENSIONS = new Set(['zip', '7z', 'rar']);
const WEB_ARCHIVE_EXTENSIONS = new Set(['zip', '7z', 'rar', 'cab']);
/** Test-ProxyLogon and signature-base (`:\ProgramData\[\w]{1,6}\.(zip|7z|rar)$`) single out short names such as it.zip. */
const SHORT_STEM = /^\w{1,6}$/;

function programDataBelow(place: Place): string[] | undefined {
  const s = place.segments;
  const pd = s.indexOf('programdata');
  if (pd >= 0) return s.slice(pd + 1);
  const au = s.findIndex((seg, i) => seg === 'users' && s[i + 1] === 'all users');
  return au >= 0 ? s.slice(au + 2) : undefined;
}

export function inWindow(time: string | undefined, window: TimeWindow | undefined): boolean {
  if (!time || !window) return false;
  const t = Date.parse(time);
  return t >= Date.parse(window.from) && t <= Date.parse(window.to);
}

/** Archives in ProgramData (staged for exfiltration) and in web folders (downloadable). */
export function checkArchive(file: FileFacts, place: Place, benign: readonly BenignArchive[], window: TimeWindow | undefined): Finding | undefined {
  const name = baseName(file.path);
  const ext = extensionOf(name);
  const below = programDataBelow(place);
  const windowHit = inWindow(file.modified, window);
  const windowFields: Record<string, string> = window ? { attackWindow: `${window.from} .. ${window.to}`, inAttackWindow: windowHit ? 'yes' : 'no' } : {};
  if (isServed(place.kind) && WEB_ARCHIVE_EXTENSIONS.has(ext)) {
    return fileFinding(file, place, {
      ruleId: 'exir-file-staged-archive',
      title: 'Archive inside a web folder: data staged for download',
      stage: 'post-exploitation',
      severity: windowHit ? 'high' : 'medium',
      fields: { ...windowFields, why: 'anyone who can reach the web folder can download it; HAFNIUM packed dumps into inetpub\\wwwroot' },
    });
  }
  if (!below || below.length === 0 || !ARCHIVE_EXTENSIONS.has(ext)) return undefined;
  const known = benign.find((b) => b.under.every((seg, i) => below[i] === seg) && b.names.test(name));
  if (known) {
    return fileFinding(file, place, {
      ruleId: 'exir-file-staged-archive',
      title: `Archive in ProgramData: ${known.product}`,
      stage: 'post-exploitation',
      severity: 'low',
      fields: { ...windowFields, product: known.product, source: known.source.url },
      benign: `listed as seen and cleared: ${known.reason} (${known.source.name})`,
    });
  }
  const stem = name.slice(0, name.length - ext.length - 1);
  const reasons: string[] = [];
  if (SHORT_STEM.test(stem)) reasons.push(`short, unusual name (${stem}.${ext}) like HAFNIUM's C:\\ProgramData\\it.zip`);
  if (windowHit) reasons.push('written inside the attack window');
  if (reasons.length === 0) return undefined;
  return fileFinding(file, place, {
    ruleId: 'exir-file-staged-archive',
    title: 'Archive in ProgramData: possible data staged for exfiltration',
    stage: 'post-exploitation',
    severity: windowHit ? 'high' : 'medium',
    fields: { ...windowFields, why: reasons.join('; ') },
  });
}
