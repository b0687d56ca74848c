// A reader takes its plain records (no literal in them, the expected value count, the time in place)
// in runs when the native scanner is built, without a look at each; what it says of the file must be
// what it says when it sees every record. Each random IIS and Exchange CSV document is read with a
// literal (runs between the records holding it), with none (every record plain) and with every
// record handed on (no run at all), and with the check after the search turning some of those
// holding it down; the stats must agree and the records handed on must be the ones holding the
// literal (and meeting the check). Run on the JavaScript path too (native-parity.test.ts, EXIR_NATIVE=0).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../test-support/random.js';
import type { LogRecord } from '../core/types.js';
import { exchangeCsvReader } from './exchange-csv/exchange-csv-reader.js';
import type { LogReader } from './reader.js';
import { asciiLower, chunksOf, readWith } from './test-helpers/read.js';
import { w3cReader } from './w3c/w3c-reader.js';

type Pick = (n: number) => number;

function time(next: Pick, sep: string, exchange: boolean): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  // Few distinct times, so that equal ones meet in a run.
  const clock = `${two(next(3))}:${two(next(60))}:${two(next(2))}`;
  const base = `2021-03-${two(1 + next(3))}${sep}${clock}`;
  return exchange ? `${base}.${String(next(2) * 500).padStart(3, '0')}Z` : base;
}

const W3C_FIELDS = ['date time s-computername cs-method cs-uri-stem sc-status', 'date time cs-method cs-uri-stem cs(User-Agent) sc-status'];

function iisDocument(next: Pick): string {
  const lines = ['#Software: Microsoft Internet Information Services 10.0', `#Fields: ${W3C_FIELDS[next(2)]}`];
  const rows = 1 + next(80);
  for (let i = 0; i < rows; i++) {
    const kind = next(14);
    const t = time(next, ' ', false);
    const stem = next(6) === 0 ? '/owa/NEEDLE.aspx' : '/owa/';
    const server = i < 2 && next(2) === 0 ? '-' : 'EX01';
    if (kind === 0) lines.push(`#Fields: ${W3C_FIELDS[next(2)]}`);
    else if (kind === 1)
      lines.push(`${t} GET ${stem}`); // too few values
    else if (kind === 2)
      lines.push(`${t.replace(' ', 'T')} ${server} GET ${stem} 200`); // no time in place
    else if (kind === 3)
      lines.push(`${t}x ${server} GET ${stem} 200`); // time not followed by a space
    else if (kind === 4)
      lines.push(`${t} ${server} GET ${stem} Mozilla/5.0 (Windows NT) 200`); // raw spaces
    else if (kind === 5) lines.push('2021-03-01');
    else if (kind === 6) lines.push('');
    else lines.push(`${t} ${server} GET ${stem} ${next(2) === 0 ? 200 : 404}`);
  }
  return lines.join(next(3) === 0 ? '\r\n' : '\n') + (next(4) === 0 ? '' : '\n');
}

const CSV_FIELDS = [
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,UrlStem,Status',
  'DateTime,RequestId,UrlStem,Status',
];

function csvDocument(next: Pick): string {
  const fields = CSV_FIELDS[next(2)]!;
  const lines = ['#Software: Microsoft Exchange Server', '#Version: 15.01.2176.002', '#Log-type: HttpProxy Logs', `#Fields: ${fields}`];
  let wide = fields === CSV_FIELDS[0];
  const rows = 1 + next(80);
  for (let i = 0; i < rows; i++) {
    const kind = next(14);
    const t = time(next, 'T', true);
    const stem = next(6) === 0 ? '/ecp/NEEDLE.js' : '/ecp/';
    const middle = wide ? `,15,1,2176,2,${i < 2 && next(2) === 0 ? '' : 'EX01'}` : '';
    if (kind === 0) {
      const again = CSV_FIELDS[next(2)]!;
      wide = again === CSV_FIELDS[0];
      lines.push(next(2) === 0 ? `#Fields: ${again}` : again);
    } else if (kind === 1)
      lines.push(`${t},abc`); // too few values
    else if (kind === 2)
      lines.push(`${t.replace('T', ' ')},r${i}${middle},${stem},200`); // not the Exchange layout
    else if (kind === 3)
      lines.push(`${t.slice(0, 23)},r${i}${middle},${stem},200`); // cut short
    else if (kind === 4)
      lines.push(`${t},"r,${i}"${middle},${stem},200`); // quoted
    else if (kind === 5) lines.push(`${t}x,r${i}${middle},${stem},200`);
    else if (kind === 6) lines.push('');
    else lines.push(`${t},r${i}${middle},${stem},${next(2) === 0 ? 200 : 500}`);
  }
  return lines.join(next(3) === 0 ? '\r\n' : '\n') + (next(4) === 0 ? '' : '\n');
}

async function agree(reader: LogReader, make: (next: Pick) => string, seed: number): Promise<void> {
  const next = seededRandom(seed);
  for (let doc = 0; doc < 150; doc++) {
    const data = Buffer.from(make(next), 'utf8');
    const chunk = [5, 64, 1 << 16][doc % 3]!;
    const all = await readWith(reader, chunksOf(data, chunk), undefined);
    const some = await readWith(reader, chunksOf(data, chunk), ['needle']);
    const none = await readWith(reader, chunksOf(data, chunk), []);
    const where = `document ${doc} in chunks of ${chunk}: ${JSON.stringify(data.toString())}`;
    assert.deepEqual(some.stats, all.stats, where);
    assert.deepEqual(none.stats, all.stats, where);
    assert.deepEqual(
      some.records,
      all.records.filter((r) => asciiLower(r.raw).includes('needle')),
      where,
    );
    assert.deepEqual(none.records, [], where);
    // The check after the search turns down the records holding the literal without a 200: they join the runs too.
    const checked: LogRecord[] = [];
    const stats = await reader.read(chunksOf(data, chunk), {
      path: 'test.log',
      literals: ['needle'],
      needs: [[['needle'], ['200']]],
      onRecord: (r) => checked.push(r),
    });
    assert.deepEqual(stats, all.stats, where);
    assert.deepEqual(
      checked,
      some.records.filter((r) => r.raw.includes('200')),
      where,
    );
  }
}

test('IIS: the plain records taken in runs leave the same counts, times, server and damage as each one read', async () => {
  await agree(w3cReader, iisDocument, 91);
});

test('Exchange CSV: the plain records taken in runs leave the same counts, times, server, build and damage as each one read', async () => {
  await agree(exchangeCsvReader, csvDocument, 92);
});
