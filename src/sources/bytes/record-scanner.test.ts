import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomText, seededRandom } from '../../test-support/random.js';
import { nativeMissing, skipIf } from '../../test-support/skips.js';
import { nativeSearch, type SimdLevel } from './native.js';
import { RecordScanner, type ScanSink } from './record-scanner.js';

/** The path the tests run on: each runs on the native splitting and search, then on the JavaScript path. */
let native = true;

function both(name: string, body: () => void | Promise<void>): void {
  for (const path of [true, false]) {
    test(`${name} (${path ? 'native' : 'JavaScript'} path)`, async () => {
      native = path;
      await body();
    });
  }
}

interface Seen {
  kind: 'record' | 'directive' | 'damage';
  line: number;
  offset: number;
  text: string;
  separators?: number;
  atEof?: boolean;
  candidate?: boolean;
}

function scan(data: Buffer, chunk: number, options: { literals?: string[]; maxRecordBytes?: number; quotes?: boolean; native?: boolean } = {}): Seen[] {
  const seen: Seen[] = [];
  const sink: ScanSink = {
    directive: (text, line, offset) => seen.push({ kind: 'directive', line, offset, text }),
    damage: (line, offset, reason) => seen.push({ kind: 'damage', line, offset, text: reason }),
    record: (v) =>
      seen.push({
        kind: 'record',
        line: v.line,
        offset: v.offset,
        text: v.text(),
        separators: v.separators,
        atEof: v.atEof,
        candidate: v.candidate,
      }),
  };
  const scanner = new RecordScanner(
    {
      separator: 44,
      quotes: options.quotes ?? true,
      literals: options.literals,
      ...(options.maxRecordBytes ? { maxRecordBytes: options.maxRecordBytes } : {}),
      native: options.native ?? native,
    },
    sink,
  );
  for (let i = 0; i < data.length; i += chunk) scanner.push(Buffer.from(data.subarray(i, i + chunk)));
  scanner.finish();
  return seen;
}

const SAMPLE = Buffer.from(
  ['\uFEFF#Fields: a,b,c', 'x,"multi\r\nline, with comma",z', '', 'p,"say ""hi""",q', '#Fields: a,b,c', 'plain,row,here', 'last,"open'].join('\r\n'),
  'utf8',
);

both('records, directives and damage come out with their lines and offsets', () => {
  const seen = scan(SAMPLE, 64 * 1024);
  assert.deepEqual(
    seen.map((s) => [s.kind, s.line, s.offset, s.separators ?? null]),
    [
      ['directive', 1, 3, null],
      ['record', 2, 19, 2],
      ['record', 5, 52, 2],
      ['directive', 6, 70, null],
      ['record', 7, 86, 2],
      ['damage', 8, 102, null],
    ],
  );
  assert.equal(seen[1]?.text, 'x,"multi\r\nline, with comma",z');
  assert.equal(seen[5]?.text, 'file ends inside a quoted value (cut off?)');
});

both('the same bytes give the same items whatever the chunk size, and at every single cut', () => {
  const whole = JSON.stringify(scan(SAMPLE, 64 * 1024));
  for (const size of [1, 2, 3, 7, 13]) assert.equal(JSON.stringify(scan(SAMPLE, size)), whole, `chunks of ${size}`);
  for (let cut = 1; cut < SAMPLE.length; cut++) {
    const seen: Seen[] = [];
    const sink: ScanSink = {
      directive: (text, line, offset) => seen.push({ kind: 'directive', line, offset, text }),
      damage: (line, offset, reason) => seen.push({ kind: 'damage', line, offset, text: reason }),
      record: (v) =>
        seen.push({ kind: 'record', line: v.line, offset: v.offset, text: v.text(), separators: v.separators, atEof: v.atEof, candidate: v.candidate }),
    };
    const scanner = new RecordScanner({ separator: 44, quotes: true, literals: undefined, native }, sink);
    scanner.push(Buffer.from(SAMPLE.subarray(0, cut)));
    scanner.push(Buffer.from(SAMPLE.subarray(cut)));
    scanner.finish();
    assert.equal(JSON.stringify(seen), whole, `cut at ${cut}`);
  }
});

both('a last line without a line end is a record flagged at end of file', () => {
  const seen = scan(Buffer.from('a,b\nc,d'), 3);
  assert.deepEqual(
    seen.map((s) => [s.text, s.atEof]),
    [
      ['a,b', false],
      ['c,d', true],
    ],
  );
});

both('NUL bytes: a zero-filled region is one damage item and the lines after it are read', () => {
  const data = Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(1000), Buffer.from('#Fields: x\nc,"d\0e",f\ng,h\n')]);
  for (const size of [1, 7, 64 * 1024]) {
    const seen = scan(data, size);
    assert.deepEqual(
      seen.map((s) => [s.kind, s.line, s.offset, s.text]),
      [
        ['record', 1, 0, 'a,b'],
        ['damage', 2, 4, '1000 NUL bytes (zero-filled region)'],
        ['directive', 2, 1004, '#Fields: x'],
        ['damage', 3, 1015, 'record cut short by NUL bytes at offset 1019'],
        ['record', 3, 1020, 'e",f'],
        ['record', 4, 1025, 'g,h'],
      ],
      `chunks of ${size}`,
    );
  }
});

both('an over-long line and a quote that never closes are reported and reading goes on', () => {
  const long = `${'x'.repeat(300)}\nok,1\n"never closed,${'y'.repeat(100)}\n${'z'.repeat(300)}\nafter,2\n`;
  for (const size of [1, 16, 4096]) {
    const seen = scan(Buffer.from(long), size, { maxRecordBytes: 200 });
    const kinds = seen.map((s) => [s.kind, s.line, s.kind === 'record' ? s.text : s.text.split(' ')[0]]);
    assert.deepEqual(
      kinds,
      [
        ['damage', 1, 'line'],
        ['record', 2, 'ok,1'],
        ['damage', 3, 'record'],
        ['damage', 4, 'line'],
        ['record', 5, 'after,2'],
      ],
      `chunks of ${size}`,
    );
  }
});

both('an over-long quoted record at the end of the file is judged the same in any chunking', () => {
  for (const tail of [`x,"q",${'y'.repeat(100)}`, `x,"open ${'y'.repeat(100)}`]) {
    const data = Buffer.from(`a,1\n${tail}`);
    for (const size of [1, 7, 4096]) {
      const seen = scan(data, size, { maxRecordBytes: 50 });
      assert.deepEqual(
        seen.map((s) => [s.kind, s.line, s.offset]),
        [
          ['record', 1, 0],
          ['damage', 2, 4],
        ],
        `${tail.slice(0, 8)} in chunks of ${size}`,
      );
      assert.match(seen[1]?.text ?? '', /longer than 50 bytes/);
    }
  }
});

both('without quotes (W3C) a quote is an ordinary byte', () => {
  const seen = scan(Buffer.from('a,"b\nc",d\n'), 2, { quotes: false });
  assert.deepEqual(
    seen.map((s) => s.text),
    ['a,"b', 'c",d'],
  );
});

both('literal candidates are exactly the records holding a literal, case-insensitively', () => {
  const data = Buffer.from('x,ServerInfo~a\ny,serverinfo\n#serverinfo~ directive\nz,"SERVERINFO~\nq"\nw,ünÏcode\n');
  const seen = scan(data, 5, { literals: ['serverinfo~', 'ünïcode'] }).filter((s) => s.kind === 'record');
  assert.deepEqual(
    seen.map((s) => [s.line, s.candidate]),
    [
      [1, true],
      [2, false],
      [4, true],
      [6, true],
    ],
  );
  const none = scan(data, 5, { literals: [] }).filter((s) => s.kind === 'record');
  assert.ok(none.every((s) => s.candidate === false));
  const all = scan(data, 5, {}).filter((s) => s.kind === 'record');
  assert.ok(all.every((s) => s.candidate === true));
});

both('an empty input gives nothing', () => {
  assert.deepEqual(scan(Buffer.alloc(0), 1), []);
});

both('random documents: chunking never changes the result, and the splitter agrees with the count', async () => {
  const { splitQuoted } = await import('../csv-split.js');
  const alphabet = ['a', 'B', ',', ',', '"', '""', '\r\n', '\n', '#', ' ', 'é', '\0', 'xyz'];
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  for (let doc = 0; doc < 300; doc++) {
    let text = '';
    const len = 20 + (next() % 200);
    for (let i = 0; i < len; i++) {
      const pick = alphabet[next() % alphabet.length]!;
      // NUL bytes are rare in real damage; keep them to a few documents.
      text += pick === '\0' && doc % 5 !== 0 ? 'n' : pick;
    }
    const data = Buffer.from(text, 'utf8');
    const maxRecordBytes = doc % 2 === 0 ? 40 : 80;
    const whole = scan(data, 1 << 16, { literals: ['b,', 'xyz'], maxRecordBytes });
    for (const size of [1, 3, 7]) {
      assert.deepEqual(scan(data, size, { literals: ['b,', 'xyz'], maxRecordBytes }), whole, `document ${doc}, chunks of ${size}`);
    }
    for (const item of whole) {
      if (item.kind !== 'record') continue;
      assert.equal(splitQuoted(item.text, ',').length, (item.separators ?? 0) + 1, `document ${doc}: ${JSON.stringify(item.text)}`);
      assert.equal(item.candidate, item.text.toLowerCase().includes('b,') || item.text.toLowerCase().includes('xyz'));
    }
  }
});

/** A plain byte-by-byte model of the scanner's rules (no NUL, no size limit), as an oracle. */
function reference(data: Buffer): Seen[] {
  const out: Seen[] = [];
  const n = data.length;
  let p = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  let line = 1;
  const lineEndFrom = (i: number): number => {
    const nl = data.indexOf(10, i);
    return nl === -1 ? n : nl;
  };
  const trimCr = (from: number, to: number): number => (to > from && data[to - 1] === 13 ? to - 1 : to);
  while (p < n) {
    const le = lineEndFrom(p);
    const ce = trimCr(p, le);
    if (ce === p) {
      line++;
      p = le + 1;
      continue;
    }
    if (data[p] === 35) {
      out.push({ kind: 'directive', line, offset: p, text: data.toString('utf8', p, ce) });
      line++;
      p = le + 1;
      continue;
    }
    let i = p;
    let inQuote = false;
    let fieldStart = true;
    let separators = 0;
    let inner = 0;
    for (; i < n; i++) {
      const c = data[i];
      if (inQuote) {
        if (c === 34) {
          if (data[i + 1] === 34 && i + 1 < n) i++;
          else inQuote = false;
        } else if (c === 10) inner++;
        continue;
      }
      if (c === 44) {
        separators++;
        fieldStart = true;
        continue;
      }
      if (c === 10) break;
      if (c === 34 && fieldStart) inQuote = true;
      fieldStart = false;
    }
    if (inQuote) {
      out.push({ kind: 'damage', line, offset: p, text: 'file ends inside a quoted value (cut off?)' });
      break;
    }
    out.push({ kind: 'record', line, offset: p, text: data.toString('utf8', p, trimCr(p, i)), separators, atEof: i >= n });
    line += inner + 1;
    p = i + 1;
  }
  return out;
}

both('random documents without NUL bytes: the scanner agrees with a byte-by-byte model', () => {
  const alphabet = ['a', ',', ',', '"', '""', '\r\n', '\n', '#', ' ', 'é', 'xyz,"q"'];
  let seed = 777;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  for (let doc = 0; doc < 150; doc++) {
    let text = doc % 10 === 0 ? '\uFEFF' : '';
    const len = 1 + (next() % 120);
    for (let i = 0; i < len; i++) text += alphabet[next() % alphabet.length]!;
    const data = Buffer.from(text, 'utf8');
    const want = reference(data);
    for (const size of [1, 5, 1 << 16]) {
      const got = scan(data, size).map(({ candidate: _c, ...rest }) =>
        rest.kind === 'record' ? rest : { kind: rest.kind, line: rest.line, offset: rest.offset, text: rest.text },
      );
      assert.deepEqual(got, want, `document ${doc} ${JSON.stringify(text)}, chunks of ${size}`);
    }
  }
});

both('a finished scanner hands its buffer to the next file, and nothing of one file shows in another', () => {
  // A long record grows the first file's buffer; the files after it reuse it, with less to read.
  const long = `${'x'.repeat(200_000)},end`;
  const first = Buffer.from(`#Fields: a,b\n${long}\nshort,row\n`);
  const second = Buffer.from('#Fields: a,b\nq,r\nlast,one');
  const texts = (seen: Seen[]): string[] => seen.map((s) => `${s.kind} ${s.line} ${s.offset} ${s.text}`);
  const firstSeen = ['directive 1 0 #Fields: a,b', `record 2 13 ${long}`, `record 3 ${14 + long.length} short,row`];
  const secondSeen = ['directive 1 0 #Fields: a,b', 'record 2 13 q,r', 'record 3 17 last,one'];
  assert.deepEqual(texts(scan(first, 4096)), firstSeen);
  assert.deepEqual(texts(scan(second, 3)), secondSeen);
  assert.deepEqual(texts(scan(first, 7)), firstSeen);
  assert.deepEqual(texts(scan(second, 1)), secondSeen);
});

both('scanners reading files at the same time, one finishing while another reads, each see only their own records', () => {
  const seen: string[][] = [[], [], []];
  const make = (i: number): RecordScanner =>
    new RecordScanner(
      { separator: 44, quotes: true, literals: undefined, native },
      { directive: () => undefined, damage: (_l, _o, reason) => seen[i]!.push(`damage ${reason}`), record: (v) => seen[i]!.push(v.text()) },
    );
  const a = make(0);
  const b = make(1);
  a.push(Buffer.from('a1,x\na2,'));
  b.push(Buffer.from('b1,y\nb2,"open'));
  a.push(Buffer.from('y\n'));
  a.finish();
  // The third file starts with the first's buffer while the second still holds an open quote.
  const c = make(2);
  c.push(Buffer.from('c1,z\n'));
  b.push(Buffer.from('\nquote",z\n'));
  c.finish();
  b.finish();
  assert.deepEqual(seen, [['a1,x', 'a2,y'], ['b1,y', 'b2,"open\nquote",z'], ['c1,z']]);
});

both('a scanner refuses bytes after its file has ended, and a second end', () => {
  const scanner = new RecordScanner(
    { separator: 44, quotes: true, literals: undefined, native },
    { directive: () => undefined, damage: () => undefined, record: () => undefined },
  );
  scanner.push(Buffer.from('a,b\n'));
  scanner.finish();
  assert.throws(() => scanner.push(Buffer.from('c,d\n')), /after the end of its file/);
  assert.throws(() => scanner.finish(), /finished twice/);
});

test('the native splitting gives the JavaScript path items at every SIMD level: lines across 32-byte steps, stop bytes, the size limit, full batches', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const search = nativeSearch()!;
  const levels = new Set<SimdLevel>();
  for (const level of ['scalar', 'ssse3', 'avx2'] as const) levels.add(search.simd(level));
  // Long runs put line ends and separators at every place of a 32-byte step; short pieces make
  // batches of more items than a batch starts with.
  const pieces = ['a', 'xyzw', ',', ',', ' ', '"', '""', '\r\n', '\n', '\n', '\r', '#', '\0', 'é', 'Q'.repeat(29), 'b,'.repeat(20)];
  const next = seededRandom(4242);
  const kinds = (seen: Seen[]): string => JSON.stringify(seen);
  try {
    for (let doc = 0; doc < 200; doc++) {
      let text = randomText(next, pieces, 400);
      // NUL bytes in a fifth of the documents, so that most reach the end of their lines natively.
      if (doc % 5 !== 0) text = text.replaceAll('\0', 'n');
      const data = Buffer.from(text, 'utf8');
      const options = { literals: ['b,', 'xyzw'], maxRecordBytes: [31, 32, 33, 64, 4096][doc % 5]!, quotes: doc % 3 !== 0 };
      const want = kinds(scan(data, 1 << 16, { ...options, native: false }));
      for (const level of levels) {
        search.simd(level);
        for (const size of [1 << 16, 97, 5]) {
          assert.equal(kinds(scan(data, size, { ...options, native: true })), want, `document ${doc}, ${level}, chunks of ${size}: ${JSON.stringify(text)}`);
        }
      }
      search.simd('auto');
    }
    // A thousand short lines in one piece: the batch fills and grows while the native splitter runs.
    const many = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? `#d ${i}` : `${i},x,${'y'.repeat(i % 50)}`)).join('\n'));
    for (const level of levels) {
      search.simd(level);
      assert.equal(kinds(scan(many, 1 << 16, { native: true })), kinds(scan(many, 1 << 16, { native: false })), `many lines, ${level}`);
    }
  } finally {
    search.simd('auto');
  }
});
