// An .evtx event that no rule and no context reads is left undecoded past its System section
// (ReadOptions.wantsEvent). That must change nothing a scan reports: the same findings, context,
// counts, times and machine as reading every event whole, on the real recordings and on copies of
// them with their chunks shuffled and cut.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { ContextRecord } from '../core/types.js';
import { evtxReader } from '../sources/evtx/evtx-reader.js';
import { corpusMissing, skipIf } from '../test-support/skips.js';
import { loadEngine, type Engine } from './engine.js';
import { logTaker } from './scan-entry.js';

const SAMPLES = fileURLToPath(new URL('../../../shared/corpus/evtx-attack-samples', import.meta.url));
const HEADER = 0x1000;
const CHUNK = 0x10000;

async function readWith(engine: Engine, bytes: Buffer, gate: boolean): Promise<{ result: unknown; handedOn: number }> {
  const context: ContextRecord[] = [];
  const taker = logTaker(engine, 'winevent', context);
  assert.ok(taker.wantsEvent, 'a Windows event log is read with a gate');
  let handedOn = 0;
  // Odd piece sizes, as a stream may give them.
  const pieces: Buffer[] = [];
  for (let p = 0; p < bytes.length; p += 40_000) pieces.push(bytes.subarray(p, p + 40_000));
  const stats = await evtxReader.read(Readable.from(pieces), {
    path: 'x.evtx',
    ...(taker.literals ? { literals: taker.literals } : {}),
    ...(gate ? { wantsEvent: taker.wantsEvent } : {}),
    onRecord: (r) => {
      handedOn++;
      taker.take(r);
    },
  });
  return { result: { stats, findings: taker.collector.findings(), context }, handedOn };
}

/** The samples' chunks, in reverse, the last one cut short: other template offsets, a damaged end. */
function reshuffled(files: Buffer[]): Buffer {
  const chunks: Buffer[] = [];
  for (const f of files) for (let at = HEADER; at + CHUNK <= f.length; at += CHUNK) chunks.push(f.subarray(at, at + CHUNK));
  chunks.reverse();
  const body = Buffer.concat(chunks);
  return Buffer.concat([files[0]!.subarray(0, HEADER), body.subarray(0, body.length - 9000)]);
}

test('events left undecoded change no finding, context record, count, time or machine', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLES))) return;
  const engine = await loadEngine();
  const files = readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.evtx'))
    .sort()
    .map((f) => readFileSync(join(SAMPLES, f)));
  assert.ok(files.length >= 4);
  let whole = 0;
  let gated = 0;
  for (const [i, bytes] of [...files, reshuffled(files)].entries()) {
    const full = await readWith(engine, bytes, false);
    const skip = await readWith(engine, bytes, true);
    assert.deepEqual(skip.result, full.result, `file ${i}`);
    whole += full.handedOn;
    gated += skip.handedOn;
  }
  // Sysmon's image loads and PowerShell's engine events reach no shipped rule: the gate must have
  // kept some events from the rules, or this test compared nothing.
  assert.ok(gated < whole, `${gated} events handed on with the gate, ${whole} without`);
});
