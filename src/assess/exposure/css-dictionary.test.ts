import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareCssDictionary, looksLikeCssDictionary, readCssDictionary } from './css-dictionary.js';
import { loadTable } from './table.js';

const table = loadTable();
const fixture = readFileSync(new URL('./fixtures/Get-ExchangeBuildVersionInformation.ps1', import.meta.url), 'utf8');

describe("CSS-Exchange's build dictionary against the build table", () => {
  it('reads the dictionary rows only, not the version-detection code above it', () => {
    assert.equal(looksLikeCssDictionary(fixture), true);
    const read = readCssDictionary(fixture, 'dict.ps1');
    assert.deepEqual(read.warnings, []);
    assert.equal(read.builds.length, 18);
    assert.deepEqual(read.builds[0], { product: 'exchange2013', level: 'CU22', update: undefined, build: '15.0.1473.3', line: 36 });
    assert.deepEqual(
      read.builds.filter((b) => b.update === 'Sep26SUv2').map((b) => [b.product, b.build]),
      [
        ['exchange2016', '15.1.2507.75'],
        ['exchange2019', '15.2.1748.53'],
        ['exchangeSE', '15.2.2562.53'],
      ],
    );
  });

  it('prints the builds the table lacks, and nothing for builds it agrees on or a known dispute', () => {
    assert.deepEqual(compareCssDictionary(table, readCssDictionary(fixture, 'dict.ps1').builds), []);
    const text = fixture.replace('"Sep26SUv2" = "15.2.2562.53"', '"Sep26SUv2" = "15.2.2562.53"\n                    "Oct26SUv2" = "15.2.2562.58"');
    assert.deepEqual(
      compareCssDictionary(table, readCssDictionary(text, 'dict.ps1').builds).map((c) => c.text),
      ['new: 15.2.2562.58 exchangeSE RTM Oct26SUv2 (not in the build table)'],
    );
  });

  it('names a build the table holds under another update', () => {
    const text = fixture.replace('"Aug26SU"   = "15.1.2507.72"', '"Jul26SUv2" = "15.1.2507.72"');
    const changes = compareCssDictionary(table, readCssDictionary(text, 'dict.ps1').builds).map((c) => c.text);
    assert.ok(
      changes.includes('differs: 15.1.2507.72 is exchange2016 CU23 Aug26SU in the table, exchange2016 CU23 Jul26SUv2 in the dictionary'),
      changes.join('\n'),
    );
  });

  it('a row that is not a four-part build is a located warning, and an unknown version is skipped with one', () => {
    const text = fixture.replace('"Sep26SU"   = "15.2.1748.51"', '"Sep26SU"   = "15.2.1748"').replace('"Exchange2013" = @{', '"Exchange2007" = @{');
    const read = readCssDictionary(text, 'dict.ps1');
    assert.deepEqual(read.warnings, [
      { where: 'dict.ps1:35', message: '"Exchange2007" is not an Exchange version exir knows; its rows are skipped' },
      { where: 'dict.ps1:55', message: 'CU15 Sep26SU: "15.2.1748" is not a four-part build' },
    ]);
    assert.equal(read.builds.length, 14);
  });

  it('is not taken for a Microsoft page or CVE records', () => {
    assert.equal(looksLikeCssDictionary('| Exchange Server 2019 CU15 | February 10, 2025 | 15.2.1748.10 |'), false);
    assert.equal(looksLikeCssDictionary('{"cveMetadata":{}}'), false);
  });
});
