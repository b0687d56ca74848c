// The literal pre-filter must hand on exactly the records that hold a literal, compared
// case-insensitively, and nothing else, whatever the chunking.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogReader } from './reader.js';
import { exchangeCsvReader } from './exchange-csv/exchange-csv-reader.js';
import { asciiLower, readText } from './test-helpers/read.js';
import { w3cReader } from './w3c/w3c-reader.js';

const LITERALS = ['serverinfo~', '/ecp/y.js', 'ünïcode'];

/** A deterministic mix of rows: hits in every case, near misses, hits inside quoted multi-line values. */
function httpProxyFile(rows: number): string {
  const out = ['#Software: Microsoft Exchange Server', '#Log-type: HttpProxy Logs', '#Fields: DateTime,RequestId,UrlStem,AnchorMailbox,UserAgent,GenericInfo'];
  const anchors = ['ServerInfo~a]@x:444/a?#', 'SERVERINFO~', 'serverinfo', 'Server Info~', 'sErVeRiNfO~x', 'Sid~S-1-5', ''];
  const stems = ['/ecp/y.js', '/ECP/Y.JS', '/ecp/y.jsx', '/ecp/y', '/owa/'];
  const agents = ['Mozilla/5.0', '"curl, 7.1"', '"ÜNÏCODE agent"', 'ünïcodé'];
  for (let i = 0; i < rows; i++) {
    const info = i % 11 === 0 ? `"line one\r\nserverINFO~ on line two"` : i % 13 === 0 ? '"""quoted"" serverinf"' : 'x=1';
    const anchor = anchors[i % anchors.length]!;
    const stem = stems[(i * 7) % stems.length]!;
    const agent = agents[(i * 3) % agents.length]!;
    out.push(`2023-01-06T01:00:${String(i % 60).padStart(2, '0')}.000Z,id${i},${stem},${anchor},${agent},${info}`);
  }
  return `${out.join('\r\n')}\r\n`;
}

function w3cFile(rows: number): string {
  const out = ['#Software: Microsoft Internet Information Services 10.0', '#Fields: date time cs-uri-stem cs-uri-query cs(User-Agent)'];
  const queries = ['-', 'a=ServerInfo~', 'SERVERINFO', '/ecp/Y.js', 'x=%C3%BC'];
  for (let i = 0; i < rows; i++) {
    out.push(`2021-10-09 00:00:${String(i % 60).padStart(2, '0')} /owa/ ${queries[i % queries.length]} ${i % 4 === 0 ? 'Ünïcode/1.0' : 'Mozilla/5.0'}`);
  }
  return `${out.join('\n')}\n`;
}

function holds(raw: string): boolean {
  const ascii = asciiLower(raw);
  const lower = raw.toLowerCase();
  return LITERALS.some((l) => (/^[\x20-\x7e]*$/.test(l) ? ascii.includes(l) : lower.includes(l)));
}

async function check(reader: LogReader, text: string): Promise<void> {
  const all = await readText(reader, text);
  const expected = all.records.filter((r) => holds(r.raw)).map((r) => r.origin.line);
  assert.ok(expected.length > 10 && all.records.length - expected.length > 10, `the sample has hits and misses: ${expected.length} of ${all.records.length}`);
  for (const size of [1, 7, 64 * 1024]) {
    const got = await readText(reader, text, size, LITERALS);
    assert.deepEqual(
      got.records.map((r) => r.origin.line),
      expected,
      `chunks of ${size}`,
    );
    assert.equal(got.stats.records, all.stats.records, 'every record is still counted');
    assert.equal(got.stats.firstTime, all.stats.firstTime);
    assert.equal(got.stats.lastTime, all.stats.lastTime);
  }
  const none = await readText(reader, text, 7, []);
  assert.equal(none.records.length, 0);
  assert.equal(none.stats.records, all.stats.records);
}

test('pre-filter: Exchange CSV hands on exactly the records holding a literal', async () => {
  await check(exchangeCsvReader, httpProxyFile(300));
});

test('pre-filter: W3C hands on exactly the records holding a literal', async () => {
  await check(w3cReader, w3cFile(200));
});
