// Settings that decide a CVE on a build that can be protected (Extended Protection, Download Domains,
// the dedicated hybrid application) and Emergency Mitigation, read from saved PowerShell exports or
// Health Checker's XML. Which property shows which setting is data (settings.json); this module reads
// exports and applies what they show to an assessment, and never guesses a setting that was not read.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Warning } from '../../core/types.js';
import { readCliXml, type PsObject } from './clixml.js';
import { wavesFor, type BuildAssessment, type CveExposure } from './evaluate.js';
import { TableError, type ExposureTable } from './table.js';

interface SettingRead {
  property?: string;
  settingOverrideSection?: string;
  export: string;
  on: string[];
  off?: string[];
  /** Several values (one per virtual directory): on when any is on, as Health Checker counts it. */
  anyOn?: boolean;
}

export interface SettingInfo {
  id: string;
  name: string;
  scope: 'server' | 'organisation';
  reads: SettingRead[];
  sources: string[];
  note?: string;
}

export interface SettingsFile {
  schema: 'exir.exchange-settings/1';
  checked: string;
  sources: { id: string }[];
  settings: SettingInfo[];
}

/** One setting's state as one export shows it. */
export interface SettingFact {
  setting: string;
  /** The server the export names; undefined for an organisation-wide setting or an export that names none. */
  server: string | undefined;
  value: boolean;
  /** `EnableDownloadDomains False`, with where it was read. */
  evidence: string;
}

export const DEFAULT_SETTINGS = fileURLToPath(new URL('../../../data/exchange/settings.json', import.meta.url));

export function loadSettings(path = DEFAULT_SETTINGS): SettingsFile {
  let data: SettingsFile;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as SettingsFile;
  } catch (err) {
    throw new TableError(path, `cannot read: ${(err as Error).message}`);
  }
  if (data?.schema !== 'exir.exchange-settings/1' || !Array.isArray(data.settings)) throw new TableError(path, 'schema is not exir.exchange-settings/1');
  const sources = new Set(data.sources.map((s) => s.id));
  for (const s of data.settings) {
    if (!s.sources.every((id) => sources.has(id))) throw new TableError(path, `setting ${s.id} names a source that is not listed`);
    if (s.reads.some((r) => (r.property === undefined) === (r.settingOverrideSection === undefined))) {
      throw new TableError(path, `setting ${s.id}: each read names a property or a settingOverrideSection`);
    }
  }
  return data;
}

const SERVER_PROPS = ['ServerName', 'PSComputerName', 'Fqdn', 'ComputerName'];

function prop(o: PsObject, name: string): string | PsObject | undefined {
  for (const [k, v] of o.props) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

function text(v: string | PsObject | undefined): string | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? v : v.toString;
}

function matches(values: string[] | undefined, value: string): boolean {
  return (values ?? []).some((x) => x.toLowerCase() === value.trim().toLowerCase());
}

interface Found {
  read: SettingRead;
  setting: SettingInfo;
  server: string | undefined;
  value: string;
  where: string;
}

/** Every object and nested object, with the nearest server name above it. */
function walk(o: PsObject, server: string | undefined, where: string, visit: (o: PsObject, server: string | undefined, where: string) => void): void {
  const own = SERVER_PROPS.map((p) => text(prop(o, p))).find((v) => v !== undefined && v.trim() !== '');
  const here = own?.trim() ?? server;
  visit(o, here, where);
  for (const [k, v] of o.props) if (typeof v !== 'string') walk(v, here, `${where}.${k}`, visit);
}

function factsFrom(found: Found[]): SettingFact[] {
  const facts: SettingFact[] = [];
  const groups = new Map<string, Found[]>();
  for (const f of found) {
    const key = `${f.setting.id}\u0000${f.read.property ?? f.read.settingOverrideSection ?? ''}\u0000${f.setting.scope === 'server' ? (f.server ?? '') : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const ons = group.filter((f) => matches(first.read.on, f.value));
    const offs = group.filter((f) => matches(first.read.off, f.value));
    if (ons.length + offs.length === 0) continue;
    // Several readings of one setting: any "off" wins, unless the setting is on when any one is on.
    const value = first.read.anyOn ? ons.length > 0 : offs.length === 0;
    const shown = (value ? (first.read.anyOn ? ons.slice(0, 1) : ons) : offs).slice(0, 3);
    const evidence = `${shown.map((f) => `${f.read.property ?? f.read.settingOverrideSection ?? ''} ${f.value.trim()} (${f.where})`).join('; ')}${group.length > shown.length ? `; ${group.length} readings in all` : ''}`;
    facts.push({ setting: first.setting.id, server: first.setting.scope === 'server' ? first.server : undefined, value, evidence });
  }
  return facts;
}

/**
 * The settings a CliXml export shows: Get-OrganizationConfig, Get-ExchangeServer, Get-WebConfiguration,
 * Get-SettingOverride, or Health Checker's own XML, at any depth. An export that shows none is said so.
 */
export function readSettingsInput(content: string, source: string, settings: SettingsFile): { facts: SettingFact[]; warnings: Warning[] } {
  const xml = content.replace(/^\ufeff/, '');
  if (!/^\s*<Objs[\s>]/.test(xml)) return { facts: [], warnings: [] };
  let objects: PsObject[];
  try {
    objects = readCliXml(xml);
  } catch (err) {
    return { facts: [], warnings: [{ where: source, message: `unreadable CliXml: ${(err as Error).message}` }] };
  }
  const found: Found[] = [];
  let overrides = 0;
  const overrideReads = settings.settings.flatMap((s) => s.reads.filter((r) => r.settingOverrideSection).map((r) => ({ s, r })));
  objects.forEach((top, i) => {
    walk(top, undefined, `${source} object ${i + 1}`, (o, server, where) => {
      for (const setting of settings.settings) {
        for (const read of setting.reads) {
          if (read.property === undefined) continue;
          const v = text(prop(o, read.property));
          if (v !== undefined) found.push({ read, setting, server, value: v, where });
        }
      }
      const section = text(prop(o, 'SectionName'));
      if (section === undefined) return;
      overrides++;
      const params = [
        text(prop(o, 'Parameters')) ?? '',
        ...[...o.props.values()].filter((x): x is PsObject => typeof x !== 'string').map((x) => x.toString ?? ''),
      ].join(' ');
      for (const { s, r } of overrideReads) {
        if (section.toLowerCase() !== (r.settingOverrideSection ?? '').toLowerCase()) continue;
        const on = r.on.some((x) => params.toLowerCase().replace(/\s+/g, '').includes(x.toLowerCase()));
        const off = `present without ${r.on.join(' or ')}`;
        found.push({ read: { ...r, on: ['present'], off: [off] }, setting: s, server: undefined, value: on ? 'present' : off, where });
      }
    });
  });
  // An export of setting overrides that lacks the one a setting needs shows that setting off.
  if (overrides > 0) {
    for (const { s, r } of overrideReads) {
      if (!found.some((f) => f.setting.id === s.id)) {
        found.push({
          read: { ...r, on: [], off: ['absent'] },
          setting: s,
          server: undefined,
          value: 'absent',
          where: `${source}, ${overrides} setting override${overrides === 1 ? '' : 's'}`,
        });
      }
    }
  }
  return { facts: factsFrom(found), warnings: [] };
}

/** One server by either name: `EX01` and `ex01.contoso.com` are the same. */
export function sameServer(a: string, b: string): boolean {
  const short = (x: string): string => x.trim().toLowerCase().split('.')[0] ?? '';
  return short(a) === short(b);
}

/** The facts that apply to one server: its own, the organisation's, and those of exports naming no server. */
export function factsFor(facts: SettingFact[], server: string): SettingFact[] {
  return facts.filter((f) => f.server === undefined || sameServer(f.server, server));
}

/**
 * What the settings change: a CVE that needs configuration is fixed when the setting is on and exposed when
 * it is off. A build that lacks the fix stays exposed whatever the setting says.
 */
export function applySettings(table: ExposureTable, a: BuildAssessment, facts: SettingFact[], settings: SettingsFile): BuildAssessment {
  if (facts.length === 0) return a;
  const name = (id: string): string => settings.settings.find((s) => s.id === id)?.name ?? id;
  const cves = a.cves.map((c): CveExposure => {
    if (!c.setting || (c.status !== 'needs-config' && c.status !== 'fixed-needs-config')) return c;
    const mine = facts.filter((f) => f.setting === c.setting);
    if (mine.length === 0) return c;
    const off = mine.find((f) => !f.value);
    const fact = off ?? mine[0];
    if (!fact) return c;
    const configured = { value: !off, evidence: fact.evidence };
    if (off) {
      return {
        ...c,
        status: 'exposed',
        configured,
        reason: `the build can be protected, but ${name(c.setting)} is off: ${fact.evidence}`,
        fix: { update: c.update, build: undefined, kb: undefined, onThisLevel: true, text: `turn on ${name(c.setting)}` },
      };
    }
    return { ...c, status: 'fixed', configured, reason: `${c.reason}; ${name(c.setting)} is on: ${fact.evidence}` };
  });
  return { ...a, cves, waves: wavesFor(table, cves) };
}
