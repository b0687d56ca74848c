import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { LogRecord } from '../core/types.js';
import { planLiterals } from '../sources/bytes/literals.js';
import { exchangeCsvReader } from '../sources/exchange-csv/exchange-csv-reader.js';
import type { LogReader } from '../sources/reader.js';
import { w3cReader } from '../sources/w3c/w3c-reader.js';
import { blocksHolding, LinePicker } from './follow-lines.js';

// The follow pass gives a log's reader only some of its lines: the records handed on must be the
// ones a read of the whole file hands on, field for field, at the same lines and offsets, whatever
// the file holds and however it arrives in pieces.

const TEXTS = ['203.0.113.9', '/owa/auth/x.aspx'];
const LITERALS = TEXTS.map((t) => t.toLowerCase());

/** The bytes in pieces of `size`, all read into one buffer, as the opener lends one: a view kept of a piece sees the next. */
function reused(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  const buffer = Buffer.alloc(size);
  let p = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: (): Promise<IteratorResult<Buffer>> => {
        if (p >= bytes.length) return Promise.resolve({ done: true, value: undefined });
        const n = bytes.copy(buffer, 0, p, p + size);
        p += size;
        return Promise.resolve({ done: false, value: buffer.subarray(0, n) });
      },
    }),
  };
}

/** The bytes in pieces of `size`, each its own copy, as a file is read. */
function pieces(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  const list: Buffer[] = [];
  for (let p = 0; p < bytes.length; p += size) list.push(Buffer.from(bytes.subarray(p, p + size)));
  return Readable.from(list);
}

async function readAll(reader: LogReader, chunks: AsyncIterable<Buffer>, place?: (r: LogRecord) => void): Promise<string[]> {
  const out: string[] = [];
  await reader.read(chunks, {
    path: 'x.log',
    literals: LITERALS,
    onRecord: (record) => {
      place?.(record);
      out.push(JSON.stringify(record));
    },
  });
  return out;
}

/** The reader's records from the picked lines: of the whole file at once (searched first, as the follow pass does), or of pieces of `size` bytes. */
async function readPicked(reader: LogReader, bytes: Buffer, csv: boolean, size?: number): Promise<string[]> {
  const plan = planLiterals(TEXTS);
  const picker = new LinePicker(plan, TEXTS, csv);
  async function* given(): AsyncGenerator<Buffer> {
    if (size === undefined) {
      yield* picker.take(bytes, true, blocksHolding(plan, TEXTS, bytes));
      return;
    }
    for await (const piece of reused(bytes, size)) yield* picker.take(piece, false);
    yield* picker.take(Buffer.alloc(0), true);
  }
  return readAll(reader, given(), (r) => picker.place(r));
}

let seed = 11;
function next(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor((seed / 2147483648) * n);
}
function pick<T>(list: readonly T[]): T {
  return list[next(list.length)] as T;
}

const IIS_FIELDS = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status';

function iisLine(): string {
  const ip = pick(['203.0.113.9', '192.0.2.10', '10.0.0.5']);
  const stem = pick(['/owa/auth/x.aspx', '/OWA/auth/X.aspx', '/ecp/default.aspx', '/mapi/nspi']);
  const row = `2021-03-03 02:${String(next(60)).padStart(2, '0')}:00 10.0.0.1 GET ${stem} - 443 - ${ip} Mozilla/5.0 200`;
  return pick([
    row,
    row,
    row,
    `${row} extra`,
    row.replace(' 200', ''),
    '',
    `#Software: Microsoft Internet Information Services 10.0`,
    IIS_FIELDS,
    '#Fields: date time c-ip cs-uri-stem',
    `#Date: 2021-03-04 00:00:00`,
    `${row}\0\0`,
    `\0\0${row}`,
    'x'.repeat(next(3000)),
  ]);
}

function iisLog(): string {
  const head = ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2021-03-03 02:00:00', IIS_FIELDS];
  return [...pick([head, head, [IIS_FIELDS], []]), ...Array.from({ length: next(40) }, iisLine)].join(pick(['\n', '\r\n']));
}

const CSV_FIELDS = 'DateTime,RequestId,UrlStem,ClientIpAddress,ServerHostName,GenericInfo';

function csvLine(): string {
  const ip = pick(['203.0.113.9', '192.0.2.10']);
  const stem = pick(['/owa/auth/x.aspx', '/OWA/auth/X.aspx', '/ecp/', '/mapi/']);
  const row = `2021-03-03T02:${String(next(60)).padStart(2, '0')}:00.000Z,id-${next(100)},${stem},${ip},EX01,`;
  return pick([
    `${row}ok`,
    `${row}ok`,
    `${row}ok`,
    `${row}"a, quoted value"`,
    `${row}"a value over\ntwo lines ${ip}"`,
    `${row}"an open quote`,
    `${row}ok,surplus`,
    '',
    CSV_FIELDS,
    'datetime,RequestId,UrlStem,ClientIpAddress',
    'Timestamp,Other',
    `#Fields: ${CSV_FIELDS}`,
    `${row}\0`,
    `\0${row}`,
    'text with no time',
  ]);
}

function csvLog(): string {
  const head = ['#Software: Microsoft Exchange Server', '#Version: 15.01.2176.002', '#Log-type: HttpProxy Logs', `#Fields: ${CSV_FIELDS}`];
  return [...pick([head, head, [`#Fields: ${CSV_FIELDS}`], []]), ...Array.from({ length: next(40) }, csvLine)].join(pick(['\n', '\r\n']));
}

for (const [name, reader, csv, make] of [
  ['W3C', w3cReader, false, iisLog],
  ['Exchange CSV', exchangeCsvReader, true, csvLog],
] as const) {
  void test(`${name}: the records read from the picked lines are the whole read's, whole or in pieces`, async () => {
    let handed = 0;
    for (let round = 0; round < 200; round++) {
      const text = make();
      const bytes = Buffer.from(`${next(6) === 0 ? '\ufeff' : ''}${text}${next(3) === 0 ? '' : '\n'}`);
      const expected = await readAll(reader, pieces(bytes, bytes.length || 1));
      handed += expected.length;
      for (const size of [undefined, 3, 64, 4096]) {
        assert.deepEqual(await readPicked(reader, bytes, csv, size), expected, `round ${round}, pieces of ${size ?? 'all'}:\n${JSON.stringify(text)}`);
      }
    }
    // The files must hand records on, or the comparison says nothing.
    assert.ok(handed > 400, `${handed} records handed on`);
  });
}

void test('the reader is given the header and the lines that may hold a text, not the others', () => {
  const lines = [
    '#Software: x',
    IIS_FIELDS,
    '2021-03-03 02:00:00 10.0.0.1 GET /a - 443 - 192.0.2.1 ua 200',
    '2021-03-03 02:01:00 10.0.0.1 GET /a - 443 - 203.0.113.9 ua 200',
  ];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  const plan = planLiterals(TEXTS);
  const given = new LinePicker(plan, TEXTS, false).take(bytes, true, blocksHolding(plan, TEXTS, bytes));
  assert.equal(Buffer.concat(given).toString(), `${lines[0]}\n${lines[1]}\n${lines[3]}\n`);
});
