import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assessBuild, type BuildAssessment, type CveStatus } from './evaluate.js';
import { loadTable } from './table.js';
import { parseAdminDisplayVersion, parseDotted } from './version.js';

// The README's table of exposure statuses promises an example for each; a data edit that changes what a
// build gets must change the README too, so each row's first example is run here as written.
const table = loadTable();
const TODAY = '2026-12-06';

interface Row {
  status: string;
  example: string;
}

function statusRows(): Row[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('| Status | Meaning | Example |');
  assert.ok(start >= 0, "the README's exposure section has its status table");
  const rows: Row[] = [];
  for (const line of readme.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    rows.push({ status: cells[1] ?? '', example: cells[3] ?? '' });
  }
  return rows;
}

function assess(example: string): BuildAssessment {
  const text = /`([^`]+)`/.exec(example)?.[1];
  assert.ok(text, `an example build in: ${example}`);
  const build = parseDotted(text) ?? parseAdminDisplayVersion(text);
  assert.ok(build, `${text} parses`);
  return assessBuild(table, build, TODAY);
}

function statusOf(a: BuildAssessment, example: string): CveStatus | undefined {
  const cve = /CVE-\d{4}-\d+/.exec(example)?.[0];
  assert.ok(cve, `a CVE in: ${example}`);
  return a.cves.find((c) => c.cve === cve)?.status;
}

const EXPECTED: Record<string, (a: BuildAssessment, example: string) => void> = {
  exposed: (a, e) => assert.equal(statusOf(a, e), 'exposed'),
  fixed: (a) => assert.equal(a.cves.find((c) => c.cve === 'CVE-2021-26855')?.status, 'fixed'),
  'needs configuration': (a, e) => assert.ok(['needs-config', 'fixed-needs-config'].includes(statusOf(a, e) ?? ''), e),
  disputed: (a, e) => assert.equal(statusOf(a, e), 'disputed'),
  unknown: (a, e) => assert.equal(statusOf(a, e), 'unknown'),
  "not in Microsoft's assessment": (a) => assert.equal(a.waves.find((w) => w.wave === 'proxyshell')?.status, 'not-listed'),
  'newer than the table': (a) => assert.equal(a.newerThanTable, true),
};

describe("the README's exposure statuses, each with an example that holds", () => {
  const rows = statusRows();

  it('names every status exir gives, once', () => {
    assert.deepEqual(
      rows.map((r) => r.status),
      Object.keys(EXPECTED),
    );
  });

  for (const row of rows) {
    it(`${row.status}: ${row.example.slice(0, 60)}`, () => {
      const check = EXPECTED[row.status];
      assert.ok(check, `no check for the status "${row.status}"`);
      check(assess(row.example), row.example);
    });
  }
});
