import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessReadings, exposureReport, anyKnownExploitedExposure } from './assess.js';
import { readBuildInput } from './inputs.js';
import { renderConsole, renderCsv, renderJson, CSV_HEADER } from './render.js';
import { loadTable } from './table.js';
import { parseCsv } from './csv.js';
import { assertSchema } from '../../test-support/json-schema.js';

const table = loadTable();
const NOW = new Date('2026-12-06T12:00:00Z');

function report(csv: string): ReturnType<typeof exposureReport> {
  const r = readBuildInput(csv, 'inv.csv');
  return exposureReport(table, assessReadings(table, r.readings, { asOf: '2026-12-06' }), [], r.warnings, NOW, '2026-12-06');
}

const INVENTORY = ['Name,FileVersion', '"=cmd|\' /C calc\'!A0",15.2.792.10', '+EX02,15.2.2562.46', '@EX03,15.1.2176.2', '"-EX04\u001b[2J",15.0.1497.12'].join(
  '\n',
);

describe('CSV output', () => {
  it('neutralises every input cell that a spreadsheet would run as a formula, its control characters shown as escapes', () => {
    const csv = renderCsv(report(INVENTORY));
    const rows = parseCsv(csv, ',');
    assert.deepEqual(rows[0]?.cells, CSV_HEADER);
    assert.deepEqual(
      rows.slice(1).map((r) => r.cells[0]),
      ["'=cmd|' /C calc'!A0", "'+EX02", "'@EX03", "'-EX04\\e[2J"],
    );
    for (const row of rows.slice(1)) {
      for (const cell of row.cells) assert.doesNotMatch(cell, /^[=+\-@]/, `cell "${cell}" starts with a formula character`);
    }
  });

  it('says per server what is exposed and what the table date is', () => {
    const rows = parseCsv(renderCsv(report(INVENTORY)), ',');
    const col = (name: string): number => CSV_HEADER.indexOf(name);
    const first = rows[1]!.cells;
    assert.equal(first[col('cu')], 'CU8');
    assert.equal(first[col('newest_update')], 'Mar21SU');
    assert.match(first[col('exposed_known_exploited')] ?? '', /CVE-2021-34473/);
    assert.doesNotMatch(first[col('exposed_cves')] ?? '', /CVE-2021-26855/);
    assert.equal(first[col('table_checked')], '2026-12-06');
    const se = rows[2]!.cells;
    assert.equal(se[col('newest_update')], 'Aug26SU');
    assert.equal(se[col('exposed_known_exploited')], '');
    assert.equal(se[col('supported')], 'yes');
  });
});

describe('console and JSON output', () => {
  it('escapes control characters from the input and states the table age', () => {
    const text = renderConsole(report(INVENTORY));
    assert.doesNotMatch(text, /\u001b/);
    assert.match(text, /-EX04\\e\[2J/);
    assert.match(text, /^Build table checked 2026-12-06 \(0 days old\)/);
    assert.match(text, /4 servers; 3 exposed to a known-exploited CVE\./);
  });

  it('JSON carries every CVE verdict and names products', () => {
    const r = report(INVENTORY);
    const parsed = assertSchema<{ servers: { assessment: { product: string; cves: { cve: string; status: string }[] } }[] }>('exposure', renderJson(r));
    assert.equal(parsed.servers[0]?.assessment.product, 'Exchange Server 2019');
    assert.equal(parsed.servers[0]?.assessment.cves.find((c) => c.cve === 'CVE-2021-34473')?.status, 'exposed');
    assert.equal(anyKnownExploitedExposure(r), true);
  });

  it("shows the newest updates' CVSS scores from Microsoft's records, in the console and in JSON with their source", () => {
    const r = report('Name,FileVersion\nSE01,15.2.2562.46\n'); // SE Aug26SU: lacks Sep26SU and later
    assert.match(renderConsole(r), /CVE-2026-69356 \(CVSS 9\.3\): exposed/);
    const parsed = assertSchema<{ servers: { assessment: { cves: { cve: string; cvss: number | null; cvssSource: string | null }[] } }[] }>(
      'exposure',
      renderJson(r),
    );
    const cves = parsed.servers[0]?.assessment.cves ?? [];
    assert.deepEqual(
      ['CVE-2026-69355', 'CVE-2026-69356', 'CVE-2026-69641'].map((id) => {
        const c = cves.find((x) => x.cve === id);
        return [id, c?.cvss, c?.cvssSource];
      }),
      [
        ['CVE-2026-69355', 8.8, 'cvelist'],
        ['CVE-2026-69356', 9.3, 'cvelist'],
        ['CVE-2026-69641', 9.1, 'cvelist'],
      ],
    );
    // A score no source gave stays null, never guessed.
    assert.equal(cves.find((x) => x.cve === 'CVE-2026-70279')?.cvss, null);
    // Scores read from Microsoft's records on 2026-12-06 (fixed July, exposed September and the re-release's).
    assert.deepEqual(
      ['CVE-2026-55008', 'CVE-2026-69378', 'CVE-2026-96940'].map((id) => [id, cves.find((x) => x.cve === id)?.cvss]),
      [
        ['CVE-2026-55008', 9.6],
        ['CVE-2026-69378', 7.5],
        ['CVE-2026-96940', 8.8],
      ],
    );
  });

  it('a fully patched SE server alone is not a finding', () => {
    assert.equal(anyKnownExploitedExposure(report('Name,FileVersion\nSE01,15.2.2562.46\n')), false);
  });
});
