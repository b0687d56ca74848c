// CISA's Known Exploited Vulnerabilities catalogue (known_exploited_vulnerabilities.json, as saved from
// cisagov/kev-data or cisa.gov) against the CVE map: the Exchange entries the map does not flag, or flags
// with another date. It reads and compares only; the map is edited by hand from what it prints.

import type { Warning } from '../../core/types.js';
import type { ExposureTable } from './table.js';

export interface KevEntry {
  cveID: string;
  dateAdded: string;
  knownRansomwareCampaignUse: string | null;
}

export interface KevChange {
  cve: string;
  text: string;
}

interface KevJson {
  catalogVersion?: unknown;
  vulnerabilities?: unknown;
}

interface KevRow {
  cveID?: unknown;
  vendorProject?: unknown;
  product?: unknown;
  vulnerabilityName?: unknown;
  dateAdded?: unknown;
  knownRansomwareCampaignUse?: unknown;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

// The catalogue names Exchange as "Exchange Server", once as "Exchange", and files CVE-2026-42897 under
// product "Microsoft" with "Exchange Server" only in its name; other vendors' products mention key
// exchange, so the vendor is checked too.
function isExchangeEntry(row: KevRow | undefined): boolean {
  if (row?.vendorProject !== 'Microsoft') return false;
  if (typeof row.product === 'string' && /^Exchange\b/.test(row.product)) return true;
  return typeof row.vulnerabilityName === 'string' && /\bExchange Server\b/.test(row.vulnerabilityName);
}

/** True when the text looks like CISA's catalogue rather than CVE records or a build page. */
export function looksLikeKevCatalogue(text: string): boolean {
  const head = text.replace(/^\ufeff/, '').slice(0, 4096);
  return /^\s*\{/.test(head) && /"catalogVersion"/.test(head) && /"vulnerabilities"/.test(head);
}

/** The catalogue's Microsoft Exchange entries; a malformed one is a located warning, not a silent gap. */
export function readKevCatalogue(text: string, source: string): { catalogVersion: string | undefined; entries: KevEntry[]; warnings: Warning[] } {
  let data: KevJson;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, '')) as KevJson;
  } catch (err) {
    return { catalogVersion: undefined, entries: [], warnings: [{ where: source, message: `not JSON: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(data.vulnerabilities))
    return { catalogVersion: undefined, entries: [], warnings: [{ where: source, message: 'no "vulnerabilities" list: not CISA\'s catalogue' }] };
  const entries: KevEntry[] = [];
  const warnings: Warning[] = [];
  (data.vulnerabilities as KevRow[]).forEach((row, i) => {
    if (!isExchangeEntry(row)) return;
    const where = `${source} vulnerabilities[${i}]`;
    if (typeof row.cveID !== 'string' || !CVE_ID.test(row.cveID)) {
      warnings.push({ where, message: 'an Exchange entry without a CVE ID; skipped' });
      return;
    }
    if (typeof row.dateAdded !== 'string' || !DAY.test(row.dateAdded)) {
      warnings.push({ where: `${where} (${row.cveID})`, message: 'dateAdded is not a date; skipped' });
      return;
    }
    const ransomware = typeof row.knownRansomwareCampaignUse === 'string' ? row.knownRansomwareCampaignUse : null;
    entries.push({ cveID: row.cveID, dateAdded: row.dateAdded, knownRansomwareCampaignUse: ransomware });
  });
  return { catalogVersion: typeof data.catalogVersion === 'string' ? data.catalogVersion : undefined, entries, warnings };
}

/** Where the CVE map and the catalogue disagree about Exchange CVEs; an empty list means they agree. */
export function compareKev(table: ExposureTable, entries: KevEntry[]): KevChange[] {
  const changes: KevChange[] = [];
  const listed = new Set(entries.map((e) => e.cveID));
  for (const e of entries) {
    const info = table.security.cves[e.cveID];
    const kev = info?.knownExploited;
    if (!info) changes.push({ cve: e.cveID, text: `in the catalogue (added ${e.dateAdded}); not in the CVE map` });
    else if (!kev) changes.push({ cve: e.cveID, text: `known exploited per the catalogue (added ${e.dateAdded}); the map does not say so` });
    else if (kev.dateAdded !== e.dateAdded) changes.push({ cve: e.cveID, text: `date added: ${kev.dateAdded} in the map, ${e.dateAdded} in the catalogue` });
    else if (e.knownRansomwareCampaignUse !== null && kev.ransomware !== e.knownRansomwareCampaignUse)
      changes.push({ cve: e.cveID, text: `ransomware use: ${kev.ransomware ?? 'not recorded'} in the map, ${e.knownRansomwareCampaignUse} in the catalogue` });
  }
  for (const [cve, info] of Object.entries(table.security.cves)) {
    if (info.knownExploited?.source === 'cisa-kev' && !listed.has(cve))
      changes.push({ cve, text: "the map cites CISA's catalogue as its source, but this copy does not list it" });
  }
  return changes;
}
