import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { mergeMicrosoftPage, parseMicrosoftPage, parseRowName, serializeBuilds } from './ms-page.js';
import { DEFAULT_TABLE, indexTable, loadTable } from './table.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const PAGE_2021 = fileURLToPath(new URL('../../../../shared/corpus/microsoftdocs-exchange-build-numbers/build-numbers-and-release-dates.md', import.meta.url));
const table = loadTable();

describe('the shipped table', () => {
  it('is written in the layout serializeBuilds produces, so an update rewrites only what changed', () => {
    assert.equal(serializeBuilds(table.builds), readFileSync(DEFAULT_TABLE.builds, 'utf8'));
  });
});

describe('row names', () => {
  for (const [name, expected] of [
    ['Exchange Server 2019 CU15 Feb26SU', { product: 'exchange2019', level: 'CU15', update: 'Feb26SU', kind: 'su' }],
    ['Exchange Server 2019 CU15 (2025H1)', { product: 'exchange2019', level: 'CU15', update: undefined, kind: 'cu' }],
    ['Exchange Server SE RTM May26HU', { product: 'exchangeSE', level: 'RTM', update: 'May26HU', kind: 'hu' }],
    ['Exchange Server 2013 SP1 Mar21SU', { product: 'exchange2013', level: 'SP1', update: 'Mar21SU', kind: 'su' }],
    ['Exchange Server 2016 CU23 Nov24SUv2', { product: 'exchange2016', level: 'CU23', update: 'Nov24SUv2', kind: 'su' }],
    ['Update Rollup 8 v2 for Exchange Server 2010 SP3', { product: 'exchange2010', level: 'SP3', update: 'RU8v2', kind: 'ru' }],
  ] as const) {
    it(name, () => assert.deepEqual(parseRowName(name), expected));
  }
  it('refuses products the table does not cover', () => assert.equal(parseRowName('Exchange Server 2007 SP3'), undefined));
});

describe("Microsoft's 2021 page", () => {
  it('has nothing the table lacks, and every in-scope row confirms a known build', (t) => {
    if (skipIf(t, 'corpus', corpusMissing(PAGE_2021))) return;
    const text = readFileSync(PAGE_2021, 'utf8');
    const { rows } = parseMicrosoftPage(text);
    assert.equal(rows.length, 133, 'the 2010 SP3, 2013, 2016 and 2019 rows');
    const merged = mergeMicrosoftPage(table, text, 'build-numbers-and-release-dates.md', '2026-11-28');
    assert.deepEqual(merged.added, []);
    assert.deepEqual(merged.changed, []);
    assert.equal(merged.confirmed, 133);
    assert.deepEqual(merged.warnings, []);
  });
});

const NEWER_MARKDOWN = `
|Product name|Release date|Build number<br>(short format)|Build number<br>(long format)|
|---|---|:---:|:---:|
|&nbsp;&nbsp;&nbsp;[Exchange Server SE RTM Jan27SU](https://support.microsoft.com/help/5199999)|January 12, 2027|15.2.2562.60|15.02.2562.060|
|&nbsp;&nbsp;&nbsp;[Exchange Server SE RTM Aug26SU](https://support.microsoft.com/help/5121573)|August 11, 2026|15.2.2562.46|15.02.2562.046|
|[Exchange Server 2019 CU15 Jan27SU](https://support.microsoft.com/help/5199998)|January 12, 2027|15.1.1748.50|15.01.1748.050|
`;

const NEWER_TEXT = `
 Exchange Server SE RTM Jan27SU          January 12, 2027        15.2.2562.60    15.02.2562.060

 Exchange Server SE RTM Feb26SU          February 10, 2026       15.2.2562.37    15.02.2562.037

Update Rollup 24 for Exchange Server 2010 SP3     September 5,        14.3.419.0   14.03.0419.000
`;

const NEWER_HTML = `<html><body><table><tr><th>Product name</th><th>Release date</th></tr>
<tr><td><a href="https://support.microsoft.com/help/5199999" data-linktype="external">Exchange Server SE RTM Jan27SU</a></td><td>January 12, 2027</td><td>15.2.2562.60</td><td>15.02.2562.060</td></tr>
</table></body></html>`;

describe('a newer page', () => {
  it('Markdown: adds the new build with its KB, confirms known ones, refuses a build that is not the product it names', () => {
    const m = mergeMicrosoftPage(table, NEWER_MARKDOWN, 'newer.md', '2026-12-01');
    assert.deepEqual(
      m.added.map((a) => [a.build, a.product, a.level, a.update, a.kind, a.released, a.kb]),
      [['15.2.2562.60', 'exchangeSE', 'RTM', 'Jan27SU', 'su', '2027-01-12', 'KB5199999']],
    );
    assert.equal(m.confirmed, 1);
    assert.match(
      m.warnings.map((w) => `${w.where} ${w.message}`).join('\n'),
      /newer\.md:6 15\.1\.1748\.50 does not belong to Exchange Server 2019 CU15 Jan27SU/,
    );
    assert.equal(m.file.checked, '2026-12-01');
    assert.ok(m.file.sources.some((s) => s.id === 'ms-page-2026-12-01' && s.asOf === '2027-01-12'));
    // The merged file loads, and the new build is now the newest SE build the table knows.
    const merged = indexTable(m.file, table.security, table.paths);
    assert.equal(merged.byBuild.get('15.2.2562.60')?.update, 'Jan27SU');
    assert.equal(table.byBuild.has('15.2.2562.60'), false, 'the loaded table is not modified');
  });

  it('text copy: reads rows laid out in columns, and warns on a row whose date is broken across lines', () => {
    const m = mergeMicrosoftPage(table, NEWER_TEXT, 'newer.txt', '2026-12-01');
    assert.deepEqual(
      m.added.map((a) => a.build),
      ['15.2.2562.60'],
    );
    assert.equal(m.confirmed, 1);
    assert.deepEqual(m.warnings, [{ where: 'line 6', message: 'row for 14.3.419.0 has no readable date' }]);
  });

  it('saved HTML: reads the row and the KB from the link', () => {
    const m = mergeMicrosoftPage(table, NEWER_HTML, 'newer.html', '2026-12-01');
    assert.deepEqual(
      m.added.map((a) => [a.build, a.kb]),
      [['15.2.2562.60', 'KB5199999']],
    );
  });
});
