import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareKev, looksLikeKevCatalogue, readKevCatalogue, type KevEntry } from './kev.js';
import { loadTable } from './table.js';

const table = loadTable();

// The catalogue's shape (cisagov/kev-data known_exploited_vulnerabilities.json), with only some of its fields.
function catalogue(rows: object[]): string {
  return JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2027.01.05', count: rows.length, vulnerabilities: rows });
}
function row(cveID: string, product: string, dateAdded: string, ransomware = 'Unknown', vendorProject = 'Microsoft', vulnerabilityName = 'x'): object {
  return { cveID, vendorProject, product, vulnerabilityName, dateAdded, knownRansomwareCampaignUse: ransomware };
}

describe("CISA's catalogue against the CVE map", () => {
  it("reads the Exchange entries only, and agrees with the map where the map follows CISA's copy", () => {
    const text = catalogue([
      row('CVE-2020-17144', 'Exchange Server', '2021-11-03'),
      row('CVE-2021-42321', 'Exchange', '2021-11-17', 'Known'),
      row('CVE-2018-0159', 'IOS Software and Cisco IOS XE Software', '2022-03-03', 'Unknown', 'Cisco'),
    ]);
    assert.equal(looksLikeKevCatalogue(text), true);
    const read = readKevCatalogue(text, 'kev.json');
    assert.equal(read.catalogVersion, '2027.01.05');
    assert.deepEqual(
      read.entries.map((e) => e.cveID),
      ['CVE-2020-17144', 'CVE-2021-42321'],
    );
    const changes = compareKev(table, read.entries).filter((c) => c.cve === 'CVE-2020-17144' || c.cve === 'CVE-2021-42321');
    assert.deepEqual(changes, []);
  });

  it('reads an Exchange entry CISA files under product "Microsoft" by its name (CVE-2026-42897 in catalogue 2026.08.07), and no other Microsoft product', () => {
    const read = readKevCatalogue(
      catalogue([
        row('CVE-2026-42897', 'Microsoft', '2026-05-15', 'Unknown', 'Microsoft', 'Microsoft Exchange Server Cross-Site Scripting Vulnerability'),
        row(
          'CVE-2025-21418',
          'Windows',
          '2025-02-11',
          'Unknown',
          'Microsoft',
          'Microsoft Windows Ancillary Function Driver for WinSock Heap-Based Buffer Overflow Vulnerability',
        ),
        row('CVE-2099-0002', 'Key Manager', '2025-02-11', 'Unknown', 'Acme', 'Acme Exchange Server Key Exchange Vulnerability'),
      ]),
      'kev.json',
    );
    assert.deepEqual(
      read.entries.map((e) => e.cveID),
      ['CVE-2026-42897'],
    );
    assert.deepEqual(
      compareKev(table, read.entries).filter((c) => c.cve === 'CVE-2026-42897'),
      [],
    );
  });

  it('names an entry the map does not flag, another date, another ransomware status, and a CVE it does not know', () => {
    const read = readKevCatalogue(
      catalogue([
        row('CVE-2021-26412', 'Exchange Server', '2027-01-05'),
        row('CVE-2021-26855', 'Exchange Server', '2021-11-04', 'Known'),
        row('CVE-2021-31196', 'Exchange Server', '2024-08-21', 'Known'),
        row('CVE-2099-0001', 'Exchange Server', '2027-01-05'),
      ]),
      'kev.json',
    );
    const byCve = new Map(compareKev(table, read.entries).map((c) => [c.cve, c.text]));
    assert.equal(byCve.get('CVE-2021-26412'), 'known exploited per the catalogue (added 2027-01-05); the map does not say so');
    assert.equal(byCve.get('CVE-2021-26855'), 'date added: 2021-11-03 in the map, 2021-11-04 in the catalogue');
    assert.equal(byCve.get('CVE-2021-31196'), 'ransomware use: Unknown in the map, Known in the catalogue');
    assert.equal(byCve.get('CVE-2099-0001'), 'in the catalogue (added 2027-01-05); not in the CVE map');
    // This small copy lacks the rest of the map's CISA entries: each is named, not dropped in silence.
    assert.match(byCve.get('CVE-2020-0688') ?? '', /this copy does not list it/);
  });

  it("the shipped CVE map agrees with every Exchange entry extracted from CISA's catalogue (data/exchange/kev-exchange.json)", () => {
    const extract = JSON.parse(readFileSync(new URL('../../../data/exchange/kev-exchange.json', import.meta.url), 'utf8')) as { entries: KevEntry[] };
    assert.ok(extract.entries.length >= 19);
    // Catalogue 2026.08.07: CVE-2023-21529 with known ransomware use, CVE-2026-42897 under product "Microsoft".
    assert.deepEqual(
      extract.entries
        .filter((e) => e.cveID === 'CVE-2023-21529' || e.cveID === 'CVE-2026-42897')
        .map((e) => [e.cveID, e.dateAdded, e.knownRansomwareCampaignUse]),
      [
        ['CVE-2023-21529', '2026-04-13', 'Known'],
        ['CVE-2026-42897', '2026-05-15', 'Unknown'],
      ],
    );
    assert.deepEqual(compareKev(table, extract.entries), []);
  });

  it('warns, with the entry, on a malformed Exchange row and on text that is not the catalogue', () => {
    const read = readKevCatalogue(
      catalogue([row('CVE-2020-0688', 'Exchange Server', '3 Nov 2021'), { vendorProject: 'Microsoft', product: 'Exchange Server' }]),
      'kev.json',
    );
    assert.deepEqual(read.entries, []);
    assert.deepEqual(
      read.warnings.map((w) => `${w.where}: ${w.message}`),
      [
        'kev.json vulnerabilities[0] (CVE-2020-0688): dateAdded is not a date; skipped',
        'kev.json vulnerabilities[1]: an Exchange entry without a CVE ID; skipped',
      ],
    );
    assert.match(readKevCatalogue('{"catalogVersion": ', 'bad.json').warnings[0]?.message ?? '', /^not JSON/);
    assert.match(readKevCatalogue('{"catalogVersion": "1"}', 'odd.json').warnings[0]?.message ?? '', /not CISA's catalogue/);
    assert.equal(looksLikeKevCatalogue('{"cveMetadata": {}}'), false);
  });
});
