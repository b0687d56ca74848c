// The follow pass leaves out the logs whose bytes name none of the texts it follows, and reads only
// the lines the addon picked of the W3C and Exchange CSV logs that may (follow-check.ts). That must
// change no result: the addon's answer for a file is the JavaScript search's answer for its bytes
// (across the pieces it reads them in, at any cut), its picks are the lines the pass's own LinePicker
// gives its reader, each placed back where it was, a log left out is one the follow pass would have
// found nothing in, and a log followed from its picks gives what it gives when read.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LogRecord, ScanResult } from '../core/types.js';
import { followKeys, type FollowKeys } from '../correlate/sessions.js';
import { generateDemo } from '../demo/generate.js';
import { enumerateEvidence, type EvidenceEntry } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import { mayHold, planLiterals } from '../sources/bytes/literals.js';
import { nativeSearch } from '../sources/bytes/native.js';
import { seededRandom } from '../test-support/random.js';
import { CORPUS, corpusMissing, nativeMissing, skipIf } from '../test-support/skips.js';
import { loadEngine } from './engine.js';
import { jobsThatMayName } from './follow-check.js';
import { followEntry, followsByTime } from './follow.js';
import { LinePicker, placementOf } from './follow-lines.js';
import { DIRECTIVE_LINES, directivesEnd, SNIFF_BYTES } from '../sources/registry.js';
import type { Job } from './job.js';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

/** An opener that fails whatever it is asked. */
const NO_READS = new Proxy(
  {},
  {
    get: () => () => {
      throw new Error('the file was read');
    },
  },
) as EvidenceOpener;

/** What the addon reads a file in: a needle that crosses this cut must still be found. */
const PIECE = 1 << 20;

describe('the native search of whole files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-holding-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says of each file what the JavaScript search says of its bytes, a needle across the cut between pieces included', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const texts = ['203.0.113.77', '/owa/auth/Shell.aspx', 'x'.repeat(40) + 'END'];
    const native = planLiterals(texts);
    const js = planLiterals(texts, false);
    const overlap = Math.max(...texts.map((s) => Buffer.byteLength(s))) - 1;
    const next = seededRandom(17);
    const files: { path: string; bytes: Buffer }[] = [];
    const filler = (n: number): Buffer => {
      const b = Buffer.alloc(n);
      // Near misses: digits, dots and path bytes, never a whole text.
      const pool = Buffer.from('0123456789./owa auth,203.0.113.7 SHELL.asp\r\n');
      for (let i = 0; i < n; i++) b[i] = pool[next(pool.length)]!;
      return b;
    };
    const add = async (name: string, bytes: Buffer): Promise<void> => {
      const path = join(dir, name);
      await writeFile(path, bytes);
      files.push({ path, bytes });
    };
    await add('empty', Buffer.alloc(0));
    await add('none-small', filler(5000));
    await add('none-large', filler(2 * PIECE + 12345));
    // Each text placed so that it starts at every distance from the first cut up to its length.
    for (const text of texts) {
      const t = Buffer.from(text.toUpperCase());
      for (let k = 0; k <= t.length; k++) {
        const bytes = filler(PIECE + 4096);
        t.copy(bytes, PIECE - k);
        await add(`cut-${texts.indexOf(text)}-${k}`, bytes);
      }
    }
    const end = filler(3 * PIECE);
    Buffer.from(texts[0]!).copy(end, end.length - texts[0]!.length);
    await add('at-the-end', end);
    const out = await search.picks(
      native.native!,
      files.map((f) => f.path),
      new Uint8Array(files.length),
      overlap,
      0,
      SNIFF_BYTES,
      DIRECTIVE_LINES,
    );
    for (const [i, f] of files.entries()) {
      assert.equal(out[i], mayHold(js, f.bytes) ? 1 : 0, f.path);
    }
    assert.ok(out.includes(0) && out.includes(1), 'both answers were tried');
  });

  it("picks of a W3C or an Exchange CSV log the lines the follow pass's own LinePicker gives its reader, each placed back where it is", async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const texts = ['203.0.113.77', '/owa/auth/Shell.aspx'];
    const plan = planLiterals(texts);
    const next = seededRandom(23);
    const pick = <T>(items: readonly T[]): T => items[next(items.length)] as T;
    // Lines of every kind the picking tells apart, a text in a few, ends LF or CRLF, some empty.
    const lineOf = (withText: boolean): string => {
      const body = pick([
        `2021-03-03 02:${next(60)} GET /ecp/x.js - 443 - 198.51.100.${next(250)} Mozilla 200`,
        `#Fields: date time cs-method cs-uri-stem ${next(9)}`,
        `DateTime,RequestId,${next(99)}`,
        `timeStamp ${next(99)} 0.0.0.0`,
        `dd ${next(99)}`,
        `T,${next(1000)},203.0.113.7`,
        '',
        `   ${next(99)} /owa/auth/shell.as`,
      ]);
      return (withText ? `${body} ${pick(texts).toUpperCase()} tail` : body) + pick(['\n', '\r\n']);
    };
    const logOf = (bytes: number, hitsAt: number[]): Buffer => {
      // A head of directives, as the logs' own: the lines after it are of every kind.
      const parts: Buffer[] = [Buffer.from(Array.from({ length: DIRECTIVE_LINES }, (_, k) => `#Directive ${k}\r\n`).join(''))];
      let length = parts[0]!.length;
      while (length < bytes) {
        const withText = hitsAt.some((at) => length <= at && at < length + 200) || next(400) === 0;
        const line = Buffer.from(lineOf(withText));
        parts.push(line);
        length += line.length;
      }
      return Buffer.concat(parts);
    };
    const cases: { name: string; bytes: Buffer; csv: boolean; answer: 'picks' | 0 | 1 }[] = [];
    for (const csv of [false, true]) {
      cases.push({ name: `small-${csv}`, bytes: logOf(20_000, [9_000]), csv, answer: 'picks' });
      cases.push({ name: `cuts-${csv}`, bytes: logOf(2 * PIECE + 70_000, [PIECE - 150, PIECE - 10, 2 * PIECE - 60]), csv, answer: 'picks' });
      cases.push({
        name: `no-line-end-${csv}`,
        bytes: Buffer.concat([logOf(5_000, [1_000]), Buffer.from('last line 203.0.113.77 without an end')]),
        csv,
        answer: 'picks',
      });
      const none = Buffer.from(
        logOf(50_000, [])
          .toString('latin1')
          .replaceAll('203.0.113.77', '203.0.113.70')
          .replace(/shell\.aspx/gi, 'shell.asp'),
        'latin1',
      );
      cases.push({ name: `none-${csv}`, bytes: none, csv, answer: 0 });
      const nul = logOf(30_000, [25_000]);
      nul[10_000] = 0;
      cases.push({ name: `nul-${csv}`, bytes: nul, csv, answer: 1 });
      const long = Buffer.concat([logOf(3_000, [1_000]), Buffer.alloc(PIECE + 10, 0x61), Buffer.from('\n')]);
      cases.push({ name: `long-line-${csv}`, bytes: long, csv, answer: 1 });
    }
    // A head whose directives come after a line that is not picked is not in the picks: the pass reads such a log itself.
    cases.push({
      name: 'head-not-picked',
      bytes: Buffer.concat([Buffer.from('#Software\na plain line\n#Fields: x\n'), logOf(5_000, [2_000])]),
      csv: false,
      answer: 1,
    });
    // UTF-16LE text is not searched as bytes: the pass reads it decoded.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(logOf(5_000, []).toString('latin1'), 'utf16le')]);
    cases.push({ name: 'utf16-w3c', bytes: utf16, csv: false, answer: 1 });
    cases.push({ name: 'utf16-csv', bytes: utf16, csv: true, answer: 1 });
    // A head that holds no directive is not known by one: the pass reads such a log itself.
    cases.push({
      name: 'no-directive',
      bytes: Buffer.concat([Buffer.from('a plain line\n'.repeat(DIRECTIVE_LINES)), logOf(20_000, [9_000])]),
      csv: false,
      answer: 1,
    });
    // A quote stops the picking in a CSV log only; a log that names no text past it is still left out.
    const quoted = Buffer.concat([logOf(8_000, [4_000]), Buffer.from('a "quoted" value\n')]);
    cases.push({ name: 'quote-w3c', bytes: quoted, csv: false, answer: 'picks' });
    cases.push({ name: 'quote-csv', bytes: quoted, csv: true, answer: 1 });
    const named = (bytes: Buffer): Buffer =>
      Buffer.from(
        bytes
          .toString('latin1')
          .replaceAll('203.0.113.77', '203.0.113.70')
          .replace(/shell\.aspx/gi, 'shell.asp'),
        'latin1',
      );
    cases.push({ name: 'quote-none-csv', bytes: named(Buffer.concat([Buffer.from('a "quoted" value\n'), logOf(PIECE + 5_000, [])])), csv: true, answer: 0 });
    const nulNone = named(logOf(30_000, []));
    nulNone[10_000] = 0;
    cases.push({ name: 'nul-none', bytes: nulNone, csv: false, answer: 0 });
    // Past the NUL, the bytes are searched whole: a text there is found.
    const nulLate = named(logOf(2 * PIECE, []));
    nulLate[100] = 0;
    Buffer.from('203.0.113.77').copy(nulLate, PIECE + 777);
    cases.push({ name: 'nul-then-text', bytes: nulLate, csv: false, answer: 1 });
    const paths: string[] = [];
    for (const c of cases) {
      const path = join(dir, `pick-${c.name}`);
      await writeFile(path, c.bytes);
      paths.push(path);
    }
    const overlap = Math.max(...texts.map((x) => x.length)) - 1;
    const modes = Uint8Array.from(cases, (c) => (c.csv ? 2 : 1));
    const out = await search.picks(plan.native!, paths, modes, overlap, 64 << 20, SNIFF_BYTES, DIRECTIVE_LINES);
    for (const [i, c] of cases.entries()) {
      const answer = out[i]!;
      if (c.answer !== 'picks') {
        assert.equal(answer, c.answer, c.name);
        continue;
      }
      assert.ok(typeof answer === 'object', `${c.name}: ${typeof answer === 'object' ? 'picks' : answer}`);
      // What the pass's LinePicker gives of the same bytes, fed in pieces of odd sizes.
      const picker = new LinePicker(plan, texts, c.csv);
      const given: Buffer[] = [];
      for (let at = 0; at < c.bytes.length;) {
        const size = 1 + next(300_000);
        given.push(...picker.take(c.bytes.subarray(at, at + size), false));
        at += size;
      }
      given.push(...picker.take(Buffer.alloc(0), true));
      assert.ok(Buffer.from(answer.bytes).equals(Buffer.concat(given)), `${c.name}: the bytes picked`);
      // The picks start with the file's head, up to where sniffBytes reads its directives to.
      const fileHead = c.bytes.subarray(0, SNIFF_BYTES);
      assert.equal(answer.head, directivesEnd(fileHead, DIRECTIVE_LINES), `${c.name}: the head`);
      assert.ok(Buffer.from(answer.bytes).subarray(0, answer.head).equals(fileHead.subarray(0, answer.head)), `${c.name}: the picks start with the head`);
      // Each picked line is the file's own line at its offset and number, and both placements agree.
      const placement = placementOf(answer);
      // The number of each line of the file, by the offset it starts at.
      const numbers = new Map<number, number>([[0, 1]]);
      for (let at = c.bytes.indexOf(10), n = 2; at !== -1; at = c.bytes.indexOf(10, at + 1), n++) numbers.set(at + 1, n);
      let givenAt = 0;
      let givenLine = 1;
      for (let k = 0; k < answer.lines.length; k += 4) {
        const offset: number = answer.lines[k]!;
        const lineNumber: number = answer.lines[k + 1]!;
        const length: number = answer.lines[k + 2]!;
        assert.ok(c.bytes.subarray(offset, offset + length).equals(answer.bytes.subarray(givenAt, givenAt + length)), `${c.name}: line at ${offset}`);
        assert.equal(lineNumber, numbers.get(offset), `${c.name}: the number of the line at ${offset}`);
        const ours = { origin: { path: c.name, line: givenLine, offset: givenAt } } as LogRecord;
        const theirs = { origin: { path: c.name, line: givenLine, offset: givenAt } } as LogRecord;
        placement.place(ours);
        picker.place(theirs);
        assert.deepEqual(ours.origin, { path: c.name, line: lineNumber, offset });
        assert.deepEqual(theirs.origin, ours.origin);
        givenAt += length;
        if (answer.lines[k + 3] === 1) givenLine++;
      }
    }
    // Of any file, UTF-16LE text is said to be one the pass reads itself, with or without a byte-order mark.
    const plain = paths[cases.findIndex((c) => c.name === 'utf16-w3c')]!;
    const bare = join(dir, 'utf16-no-mark');
    await writeFile(bare, utf16.subarray(2));
    assert.deepEqual(await search.picks(plan.native!, [plain, bare, bare], Uint8Array.of(0, 0, 1), overlap, 1 << 20, SNIFF_BYTES, DIRECTIVE_LINES), [1, 1, 1]);
    // With no budget left, a log that may name one is left to the pass; one that cannot is still left out.
    const none = cases.findIndex((c) => c.answer === 0);
    assert.deepEqual(await search.picks(plan.native!, [paths[0]!, paths[none]!], Uint8Array.of(1, 1), overlap, 0, SNIFF_BYTES, DIRECTIVE_LINES), [1, 0]);
  });

  it('on random bytes, picks only what LinePicker picks and leaves out only what holds no text', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const texts = ['203.0.113.77', '/owa/auth/Shell.aspx'];
    const plan = planLiterals(texts);
    const js = planLiterals(texts, false);
    const next = seededRandom(101);
    // Bytes the picking tells apart, and pieces of the texts, in any order.
    const pool = ['#', 'D', 't', '\n', '\r\n', 'a', '1', '.', ' ', ',', '203.0.113.', '77', '/owa/auth/', 'SHELL.aspx', '#Fields: x\n'];
    // What stops the picking, now and then.
    const rare = ['"', '\0'];
    const files: { path: string; bytes: Buffer; csv: boolean }[] = [];
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      // Most start with a head of directives, as logs do; the rest with anything.
      if (next(4) > 0) parts.push('#Software\n'.repeat(DIRECTIVE_LINES));
      const n = next(400);
      for (let k = 0; k < n; k++) parts.push(next(300) === 0 ? rare[next(rare.length)]! : pool[next(pool.length)]!);
      const bytes = Buffer.from(parts.join(''), 'latin1');
      const path = join(dir, `random-${i}`);
      await writeFile(path, bytes);
      files.push({ path, bytes, csv: next(2) === 1 });
    }
    const overlap = Math.max(...texts.map((x) => x.length)) - 1;
    const modes = Uint8Array.from(files, (f) => (f.csv ? 2 : 1));
    const out = await search.picks(
      plan.native!,
      files.map((f) => f.path),
      modes,
      overlap,
      64 << 20,
      SNIFF_BYTES,
      DIRECTIVE_LINES,
    );
    const seen = new Map<string, number>();
    for (const [i, f] of files.entries()) {
      const answer = out[i]!;
      const said = typeof answer === 'object' ? 'picks' : String(answer);
      seen.set(said, (seen.get(said) ?? 0) + 1);
      if (answer === 0) assert.equal(mayHold(js, f.bytes), false, `${f.path}: left out, but it holds a text`);
      else assert.ok(answer === 1 || typeof answer === 'object', `${f.path}: ${typeof answer === 'object' ? 'picks' : answer}`);
      if (typeof answer !== 'object') continue;
      const picker = new LinePicker(plan, texts, f.csv);
      const given = [...picker.take(f.bytes, false), ...picker.take(Buffer.alloc(0), true)];
      assert.ok(Buffer.from(answer.bytes).equals(Buffer.concat(given)), `${f.path}: the bytes picked`);
    }
    t.diagnostic(JSON.stringify(Object.fromEntries(seen)));
    assert.deepEqual([...seen.keys()].sort(), ['0', '1', 'picks'], 'every answer was given');
  });

  it('says a file it cannot read is not known (2), and refuses bad arguments with a clear error', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const needles = planLiterals(['abc']).native!;
    await mkdir(join(dir, 'a-folder'), { recursive: true });
    const paths = [join(dir, 'missing'), join(dir, 'a-folder'), `${join(dir, 'empty')}\0.log`];
    for (const mode of [0, 1, 2])
      assert.deepEqual(await search.picks(needles, paths, new Uint8Array(3).fill(mode), 2, 1 << 20, SNIFF_BYTES, DIRECTIVE_LINES), [2, 2, 2], `mode ${mode}`);
    const head = [SNIFF_BYTES, DIRECTIVE_LINES] as const;
    assert.throws(() => search.picks(needles, ['x'], new Uint8Array(0), 2, 0, ...head), /as long as paths/);
    assert.throws(() => search.picks(needles, ['x'], new Uint8Array(1), 1 << 20, 0, ...head), /overlap/);
    assert.throws(() => search.picks({} as never, ['x'], new Uint8Array(1), 2, 0, ...head), /compiled needle set/);
    assert.throws(() => search.picks(needles, [7 as unknown as string], new Uint8Array(1), 2, 0, ...head), /string/);
    assert.throws(() => search.picks(needles, ['x'], new Uint8Array(1), 2, 0, 0, 5), /head/);
  });
});

describe('the follow pass over the logs that may name the attackers', () => {
  let dir: string;
  let result: ScanResult;
  let entries: EvidenceEntry[];
  let keys: FollowKeys;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-follow-check-'));
    await generateDemo({ outDir: dir, targetBytes: 2_000_000, attackerEverywhere: true });
    result = await scan({ inputs: [dir], threads: 1, now: new Date(0) });
    entries = (await enumerateEvidence([dir])).entries;
    keys = followKeys(result.findings)!;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves out only logs the follow pass finds nothing in, and keeps every log followed by time', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    assert.ok(keys && keys.ips.length > 0, 'the demo attack gives addresses to follow');
    const rows = new Map(result.evidence.map((e) => [e.path, e]));
    const jobs: { entry: EvidenceEntry; job: Job }[] = [];
    for (const entry of entries) {
      const row = rows.get(entry.path);
      if (!row || row.kind === 'unknown' || !row.server) continue;
      jobs.push({ entry, job: { kind: 'follow', server: row.server, source: row.kind, keys } });
    }
    const kept = await jobsThatMayName(jobs, keys, 2);
    // A job kept may be a new one, with the lines picked: the files tell which were left out.
    const keptFiles = new Set(kept.map((k) => k.entry));
    const left = jobs.filter((j) => !keptFiles.has(j.entry));
    assert.ok(left.length > 0 && kept.length > 0, `${left.length} left out, ${kept.length} kept`);
    assert.equal(keptFiles.size, kept.length, 'each file kept once');
    const engine = await loadEngine();
    const opener = new EvidenceOpener();
    for (const { entry, job } of left) {
      assert.ok(job.kind === 'follow' && !followsByTime(job.source), `${entry.path} is followed by time, and was left out`);
      assert.deepEqual(await followEntry(entry, job.server, job.source, engine, opener, keys), [], entry.path);
    }
    // And the ones kept that name an attacker are still followed: the pass is not emptied. A log
    // followed from its picks gives what it gives read whole.
    let found = 0;
    let picked = 0;
    for (const { entry, job } of kept) {
      if (job.kind !== 'follow') continue;
      const read = await followEntry(entry, job.server, job.source, engine, opener, keys);
      found += read.length;
      if (!job.picked) continue;
      picked++;
      // Followed from its picks alone: an opener that fails on any use shows no file is read.
      assert.deepEqual(await followEntry(entry, job.server, job.source, engine, NO_READS, keys, job.picked), read, entry.path);
    }
    assert.ok(found > 0, 'the logs kept hold the attackers’ records');
    assert.ok(picked > 0, 'logs were picked');
  });

  it('follows every log when a text is longer than the addon carries between pieces', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const long: FollowKeys = { ...keys, urlSpellings: [...(keys.urlSpellings ?? []), `/${'a'.repeat(70_000)}.aspx`] };
    const job: Job = { kind: 'follow', server: 'EX01', source: 'httpproxy', keys: long };
    const jobs = entries.map((entry) => ({ entry, job }));
    assert.equal((await jobsThatMayName(jobs, long, 2)).length, jobs.length);
  });
});

describe('picks of the real public sample logs', () => {
  it('follow each W3C and Exchange CSV sample from its picks to what reading it gives, for the addresses it names', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const folders = ['qazeer-artefacts-help/extracted', 'velociraptor-testdata'].map((f) => join(CORPUS, f));
    if (skipIf(t, 'corpus', corpusMissing(...folders))) return;
    const result = await scan({ inputs: folders, threads: 1, now: new Date(0) });
    const rows = new Map(result.evidence.map((e) => [e.path, e]));
    const engine = await loadEngine();
    const opener = new EvidenceOpener();
    let compared = 0;
    for (const entry of (await enumerateEvidence(folders)).entries) {
      const row = rows.get(entry.path);
      if (!row?.server || !['iis', 'httpproxy', 'rps-http', 'msgtrk', 'ews'].includes(row.kind) || entry.location.kind !== 'file') continue;
      // The first addresses the sample names, followed as an attacker's would be.
      const ips = [...new Set((await readFile(entry.location.file, 'latin1')).match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [])].slice(0, 3);
      if (ips.length === 0) continue;
      const keys: FollowKeys = { ips, urls: [], windows: {} };
      const job: Job = { kind: 'follow', server: row.server, source: row.kind, keys };
      const [kept] = await jobsThatMayName([{ entry, job }], keys, 1);
      const read = await followEntry(entry, row.server, row.kind, engine, opener, keys);
      if (kept?.job.kind !== 'follow' || !kept.job.picked) continue;
      assert.deepEqual(await followEntry(entry, row.server, row.kind, engine, NO_READS, keys, kept.job.picked), read, entry.path);
      compared++;
    }
    t.diagnostic(`${compared} samples followed from their picks`);
    assert.ok(compared >= 3, `${compared} samples followed from their picks`);
  });
});

describe('a UTF-16LE log followed', () => {
  it("gives the attackers' other records, as its UTF-8 copy does", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exir-follow-utf16-'));
    try {
      const text = iisLog([
        // ProxyShell, as the Velociraptor sample shows it: a finding, and its client followed.
        '2021-10-09 02:24:04 10.0.0.2 GET /autodiscover/autodiscover.json @evil.corp/ews/exchange.asmx?&Email=autodiscover/autodiscover.json%3F@evil.corp&CorrelationID=<empty>;&cafeReqId=6c1e0f0e-0000-4000-8000-000000000001; 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 332',
        // The same client's plain request: no rule's, found only by following it.
        '2021-10-09 02:30:00 10.0.0.2 GET /owa/ &CorrelationID=<empty>;&cafeReqId=6c1e0f0e-0000-4000-8000-000000000003; 443 - 198.51.100.7 python-requests/2.26.0 - 302 0 0 12',
        '2021-10-09 08:00:00 10.0.0.2 GET /owa/auth/logon.aspx &CorrelationID=<empty>;&cafeReqId=6c1e0f0e-0000-4000-8000-000000000002; 443 - 192.0.2.10 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 12',
      ]);
      const folder = (name: string): string => join(dir, name, 'EX01', 'inetpub', 'logs', 'LogFiles', 'W3SVC1');
      await mkdir(folder('utf8'), { recursive: true });
      await mkdir(folder('utf16'), { recursive: true });
      await writeFile(join(folder('utf8'), 'u_ex211009.log'), text);
      await writeFile(join(folder('utf16'), 'u_ex211009.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      const activity = async (name: string): Promise<string[]> => {
        const result = await scan({ inputs: [join(dir, name)], threads: 1, now: new Date(0) });
        return result.sessions.flatMap((s) => s.entries.filter((e) => e.kind === 'activity').map((e) => `${e.time} ${e.summary} line ${e.origin.line}`));
      };
      const utf8 = await activity('utf8');
      assert.equal(utf8.length, 1, utf8.join('\n'));
      assert.deepEqual(await activity('utf16'), utf8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
