import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readInventory, sniffInventory, type InventoryEntry, type InventoryStats } from './inventory-reader.js';
import { parseListingTime } from './listing-time.js';
import { chunksOf } from '../test-helpers/read.js';

const sample = (name: string) => readFileSync(new URL(`./samples/${name}`, import.meta.url));
const EXPORT = sample('ex01-export-csv.csv');
const FILEHASH = sample('ex02-get-filehash.csv');

async function read(data: Buffer, size = 64 * 1024): Promise<{ entries: InventoryEntry[]; stats: InventoryStats }> {
  const entries: InventoryEntry[] = [];
  const stats = await readInventory(chunksOf(data, size), { path: 'EX01/listing.csv', server: 'EX01', onEntry: (e) => entries.push(e) });
  return { entries, stats };
}

test('sniffInventory: Export-Csv and Get-FileHash listings yes; logs and other CSV no', () => {
  assert.equal(sniffInventory(EXPORT.toString('utf8')), true);
  assert.equal(sniffInventory(FILEHASH.toString('utf8')), true);
  assert.equal(sniffInventory('FullName;Length;LastWriteTime\r\nC:\\x;1;2021-03-03 01:02:03\r\n'), true);
  assert.equal(sniffInventory(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXPORT.toString('utf8'), 'utf16le')]).toString('utf8')), true);
  assert.equal(sniffInventory('#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Fields: date time cs-uri-stem\r\n'), false);
  assert.equal(sniffInventory('#Software: Microsoft Exchange Server\r\n#Version: 15.02.0792.010\r\n#Log-type: HttpProxy Logs\r\n'), false);
  assert.equal(sniffInventory('"ComputerName","Type","Path","Name","LastWrite"\r\n'), true, 'Test-ProxyLogon -other.csv: a path and a time');
  assert.equal(sniffInventory('"Name","Value"\r\n"a","b"\r\n'), false);
  assert.equal(sniffInventory('"Path","Owner"\r\n'), false, 'a path alone gives nothing to check');
});

test('a realistic Export-Csv listing: folders skipped, hashes lower-cased, day/month order learnt from the file, bad rows counted and located', async () => {
  const { entries, stats } = await read(EXPORT);
  assert.equal(stats.rows, 12);
  assert.equal(stats.folders, 2);
  assert.equal(stats.files, 9);
  assert.equal(stats.unhashed, 2);
  assert.equal(stats.dateOrder, 'day-first');
  assert.equal(entries.length, 9);
  assert.match(stats.notes[0] ?? '', /^PowerShell export: #TYPE Selected\.System\.IO\.FileInfo/);
  const byName = (n: string) => entries.find((e) => e.path.endsWith(n));
  const discover = byName('\\discover.aspx');
  assert.equal(discover?.sha256, '2e1eb00575e1a8f6c95a23c87b05e23eb4718557f787aa905bb000e98b31c5f0');
  assert.equal(discover?.size, 2318);
  assert.equal(discover?.modified, '2021-03-03T04:12:55.000Z');
  assert.equal(discover?.server, 'EX01');
  assert.equal(discover?.contentMissing, true);
  assert.equal(discover?.head.length, 0);
  await assert.rejects(discover?.read() ?? Promise.resolve(), /content not collected/);
  // held until the McAfee row (22/07/2019) showed the order, then read day first
  assert.equal(byName('\\logon.aspx')?.modified, '2021-02-11T17:30:10.000Z');
  assert.equal(byName('\\errorFE.aspx')?.modified, '2021-03-04T01:02:03.000Z');
  assert.equal(byName('\\it.zip')?.created, '2021-03-05T02:10:44.000Z');
  // quoted cell with "" and a comma; its hash is bad so it has none, but the row still counts
  const notes = byName('copy.txt');
  assert.equal(notes?.path, 'C:\\root\\notes "old", copy.txt');
  assert.equal(notes?.sha256, '');
  // order kept despite holding
  assert.deepEqual(
    entries.map((e) => e.origin.line),
    [5, 6, 7, 8, 9, 10, 11, 13, 14],
  );
  assert.equal(stats.badRows, 2);
  assert.deepEqual(
    stats.badSamples.map((b) => [b.origin.line, b.reason.split(' ').slice(0, 4).join(' ')]),
    [
      [12, '5 values for 6'],
      [13, 'sha256 "NOT-A-HASH" is not'],
    ],
  );
  // offsets point at the row's first byte
  for (const b of [...stats.badSamples.map((s) => s.origin), ...entries.map((e) => e.origin)]) {
    assert.equal(EXPORT.subarray(b.offset, b.offset + 4).toString('latin1'), '"C:\\', `line ${b.line}`);
  }
});

test("the same listing in 7-byte chunks, and as UTF-16 with a BOM (Out-File's default), reads the same", async () => {
  const whole = await read(EXPORT);
  const small = await read(EXPORT, 7);
  assert.deepEqual(
    small.entries.map((e) => [e.path, e.sha256, e.modified, e.origin]),
    whole.entries.map((e) => [e.path, e.sha256, e.modified, e.origin]),
  );
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXPORT.toString('utf8'), 'utf16le')]);
  const wide = await read(utf16, 5);
  assert.deepEqual(
    wide.entries.map((e) => [e.path, e.sha256, e.modified]),
    whole.entries.map((e) => [e.path, e.sha256, e.modified]),
  );
  const first = wide.entries[0]?.origin.offset ?? 0;
  assert.equal(utf16.subarray(first, first + 8).toString('utf16le'), '"C:\\');
});

test('Get-FileHash output: the Algorithm column says which hash it is', async () => {
  const { entries, stats } = await read(FILEHASH);
  assert.equal(stats.badRows, 0);
  assert.equal(entries[0]?.sha256, 'b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0');
  assert.equal(entries[1]?.md5, '4d812c34ab1ad038cec7bc83c909680b');
  assert.equal(entries[1]?.sha256, '');
  assert.equal(entries[1]?.sizeKnown, false);
});

test('dates that never show their order are left out and said so; local times are flagged', async () => {
  const text =
    '"FullName","Length","LastWriteTime"\r\n"C:\\inetpub\\wwwroot\\a.aspx","1","03/04/2021 10:00:00"\r\n"C:\\inetpub\\wwwroot\\b.aspx","1","2021-03-04 10:00:00"\r\n';
  const { entries, stats } = await read(Buffer.from(text));
  assert.equal(entries[0]?.modified, undefined);
  assert.equal(entries[1]?.modified, '2021-03-04T10:00:00.000Z');
  assert.equal(entries[0]?.localTime, true);
  assert.ok(stats.notes.some((n) => /LastWriteTime \(the server's local time/.test(n)));
  assert.ok(stats.notes.some((n) => /1 row\(s\) have times left out/.test(n)));
});

test('a listing with no usable header is a located bad row, not a crash; a last row without a line end is read', async () => {
  const none = await read(Buffer.from('"Name","Value"\r\n"a","b"\r\n'));
  assert.equal(none.entries.length, 0);
  assert.equal(none.stats.badSamples[0]?.origin.line, 1);
  const last = await read(Buffer.from('Path,SHA256\nC:\\ProgramData\\x.7z,' + 'A'.repeat(64)));
  assert.equal(last.entries[0]?.path, 'C:\\ProgramData\\x.7z');
  assert.equal(last.entries[0]?.origin.line, 2);
});

test('parseListingTime: cultures, AM/PM, offsets, impossible dates', () => {
  const t = (s: string) => {
    const p = parseListingTime(s);
    return p.kind === 'time' ? p.iso : p.kind;
  };
  assert.equal(t('7/22/2019 11:57:52 AM'), '2019-07-22T11:57:52.000Z');
  assert.equal(t('7/22/2019 12:05:00 AM'), '2019-07-22T00:05:00.000Z');
  assert.equal(t('22.07.2019 23:57:52'), '2019-07-22T23:57:52.000Z');
  assert.equal(t('03.04.2021 10:00:00'), '2021-04-03T10:00:00.000Z');
  assert.equal(t('2021-03-03T04:05:06.1234567Z'), '2021-03-03T04:05:06.123Z');
  assert.equal(t('2021-03-03T04:05:06+01:00'), '2021-03-03T03:05:06.000Z');
  assert.equal(t('03/04/2021 10:00:00'), 'ambiguous');
  assert.equal(t('31/02/2021 10:00:00'), 'bad');
  assert.equal(t('13/13/2021 10:00:00'), 'bad');
  assert.equal(t('yesterday'), 'bad');
});

test('a quote left open ends its row at the line end once the row grows past the limit; later rows are still read', async () => {
  const rows = ['"FullName","Length"', '"C:\\inetpub\\wwwroot\\broken.aspx,"1"'];
  for (let i = 0; i < 40_000; i++) rows.push(`"C:\\inetpub\\wwwroot\\f${i}.aspx","${i}"`);
  const { entries, stats } = await read(Buffer.from(rows.join('\r\n') + '\r\n'));
  assert.equal(stats.badSamples[0]?.origin.line, 2);
  assert.ok(entries.length > 30_000, `${entries.length} rows read after the damage`);
  assert.equal(entries.at(-1)?.path, 'C:\\inetpub\\wwwroot\\f39999.aspx');
});
