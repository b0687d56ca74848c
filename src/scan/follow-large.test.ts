import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { enumerateEvidence } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import { loadEngine, type Engine } from './engine.js';
import { followEntry } from './follow.js';
import { iisLog } from './test-helpers.js';

// A log past the one-read size (4 MiB) is searched for the attackers piece by piece, 1 MiB at a
// time, in one buffer read into again and again: an address cut by a piece's end, and one in a later
// piece, must both still pick the file to be read record by record.
const ATTACKER = '203.0.113.9';
const PIECE = 1 << 20;
const benign = '2021-03-03 02:13:25 10.0.0.5 GET /owa/ - 443 - 10.0.0.7 Mozilla/5.0 - 302 0 0 187';
const hostile = `2021-03-03 02:14:00 10.0.0.5 GET /owa/ - 443 - ${ATTACKER} Mozilla/5.0 - 302 0 0 187`;

/** An IIS log of more than 4 MiB whose one hostile line names the attacker from `cut` bytes before `offset`. */
function largeLog(offset: number, cut: number): string {
  let text = iisLog([]);
  const start = offset - cut - hostile.indexOf(ATTACKER);
  while (text.length + benign.length + 2 <= start - 4) text += `${benign}\r\n`;
  // A directive line fills what is left, so that the hostile line starts where it must.
  text += `#${'x'.repeat(start - text.length - 3)}\r\n${hostile}\r\n`;
  assert.equal(text.indexOf(ATTACKER), offset - cut);
  while (text.length < 5 * PIECE) text += `${benign}\r\n`;
  return text;
}

let dir: string;
let engine: Engine;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-follow-large-'));
  engine = await loadEngine();
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const [name, offset, at] of [
  ['cut by the first piece’s end', PIECE, 5],
  ['inside the third piece', 2 * PIECE + 4096, 0],
] as const) {
  void test(`a large log naming an attacker ${name} is read for the attacker's records`, async () => {
    const file = join(dir, `u_ex${offset}.log`);
    const text = largeLog(offset, at);
    await writeFile(file, text);
    const { entries } = await enumerateEvidence([file]);
    const opener = new EvidenceOpener();
    try {
      const found = await followEntry(entries[0]!, 'EX01', 'iis', engine, opener, { ips: [ATTACKER], urls: [], windows: {} });
      assert.deepEqual(
        found.map((e) => e.clientIp),
        [ATTACKER],
      );
    } finally {
      await opener.close();
    }
  });
}
