// Hostile inputs for the XML event reader, run by its test in a bounded worker (runBounded): a
// backtracking pattern would take minutes on them, and synchronous work cannot be stopped otherwise.
import { readText } from '../../test-helpers/read.js';
import { sniffWinEventXml, wineventXmlReader } from '../winevent-xml-reader.js';
import { parseEventXml } from '../xml-event.js';

// Hand-written events in the shape `wevtutil qe <log> /f:xml` writes (single-quoted attributes, no line breaks).
export const NS = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";
export const SECURITY_4688 = `<Event ${NS}><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>4688</EventID><Version>2</Version><Level>0</Level><Task>13312</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2021-03-03T02:20:11.0421234Z'/><EventRecordID>191225</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='7236'/><Channel>Security</Channel><Computer>EX01.contoso.local</Computer><Security/></System><EventData><Data Name='SubjectUserName'>EX01$</Data><Data Name='NewProcessName'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>cmd /c "whoami &amp; net user" &gt; C:\\inetpub\\wwwroot\\aspnet_client\\a.txt</Data><Data Name='ParentProcessName'>C:\\Windows\\System32\\inetsrv\\w3wp.exe</Data><Data Name='MandatoryLabel'>S-1-16-16384</Data></EventData></Event>`;
export const USERDATA = `<Event ${NS}><System><Provider Name='Microsoft-Windows-Eventlog'/><EventID>1102</EventID><Level>4</Level><TimeCreated SystemTime='2021-03-03T03:00:00.000Z'/><EventRecordID>191300</EventRecordID><Channel>Security</Channel><Computer>EX01.contoso.local</Computer></System><UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserSid>S-1-5-21-1-2-3-500</SubjectUserSid><SubjectUserName>admin</SubjectUserName><Client Address='192.0.2.7'/></LogFileCleared></UserData></Event>`;

/** Long runs of spaces and a long attribute name: what the reader makes of them. */
export async function hostileXml(): Promise<{ sniffed: string | undefined; records: number; badRecords: number; address: string }> {
  const sniffed = sniffWinEventXml(`${' '.repeat(60_000)}x`);
  const junk = `${SECURITY_4688}${' \r\n'.repeat(20_000)}x${USERDATA}`;
  const { stats, records } = await readText(wineventXmlReader, junk);
  const longName = USERDATA.replace("<Client Address='192.0.2.7'/>", `<Client ${'a'.repeat(200_000)} Address='192.0.2.7'/>`);
  const parsed = parseEventXml(longName);
  return {
    sniffed,
    records: records.length,
    badRecords: stats.badRecords,
    address: typeof parsed === 'string' ? parsed : (parsed.data['Client.Address'] ?? ''),
  };
}
