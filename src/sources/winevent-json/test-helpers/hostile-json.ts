// Hostile inputs for the JSON event reader, run by its test in a bounded worker (runBounded): a
// quadratic loop or a backtracking pattern would take minutes on them, and synchronous work cannot be
// stopped otherwise.
import { readText } from '../../test-helpers/read.js';
import { sniffWinEventJson, wineventJsonReader } from '../winevent-json-reader.js';

/** A first line of 4,000 repeated keys, without and with a Channel: what the sniffer says of each. */
export function hostileFirstLines(): (string | undefined)[] {
  return [sniffWinEventJson(`{${'"EventID": 1, '.repeat(4_000)}`), sniffWinEventJson(`{${'"EventID": 1, '.repeat(4_000)}"Channel": "x", `)];
}

/** One event of 60,000 unnamed data items: the names its first and last take. */
export async function manyDataItems(): Promise<{ first: string | undefined; last: string | undefined }> {
  const line = JSON.stringify({
    Id: 1,
    LogName: 'Application',
    ProviderName: 'x',
    Properties: Array.from({ length: 60_000 }, (_, i) => ({ Value: String(i) })),
  });
  const { records } = await readText(wineventJsonReader, `${line}\n`);
  return { first: records[0]?.fields['Data'], last: records[0]?.fields['Data59999'] };
}
