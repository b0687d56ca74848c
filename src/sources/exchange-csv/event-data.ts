// ECP Server and ECP Activity logs pack their detail into one EventData value: `;`-separated
// `S:KEY=value` pairs (also `Dbl:`, `I32:`, `I64:`, `F:`). Values may hold `=`, quotes and even `;`
// (a cmdlet argument with script in it), so a pair starts only where `;` is followed by a known
// type prefix and a key.

// A key may carry a bracketed qualifier such as `MAPI.T[server.guid]`.
const PAIR_START = /(?:^|;)(?:S|Dbl|I32|I64|F):((?:[^=;:[]|\[[^\]]*\])+)=/g;

/** The pairs of an EventData value, in order, first occurrence of each key kept. */
export function parseEventData(eventData: string): [string, string][] {
  const starts: { key: string; at: number; valueAt: number }[] = [];
  for (const m of eventData.matchAll(PAIR_START)) {
    const key = m[1];
    if (key === undefined) continue;
    starts.push({ key, at: m.index, valueAt: m.index + m[0].length });
  }
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  starts.forEach((s, i) => {
    const next = starts[i + 1];
    let value = eventData.slice(s.valueAt, next ? next.at : eventData.length);
    if (!next && value.endsWith(';')) value = value.slice(0, -1);
    if (seen.has(s.key) || s.key === '__proto__') return;
    seen.add(s.key);
    pairs.push([s.key, value]);
  });
  return pairs;
}
