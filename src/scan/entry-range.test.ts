import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateDemo } from '../demo/generate.js';
import { foldedRuleIds } from '../detect/ruleset.js';
import { enumerateEvidence, type EvidenceEntry } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { loadEngine, type Engine } from './engine.js';
import { cutRanges, mergeRanges, scanRange, type RangePart } from './entry-range.js';
import { scanEntry, type EntryResult } from './scan-entry.js';
import { exchangeLog, iisLog, RPS_CMDLET_FIELDS } from './test-helpers.js';

// A large log read as byte ranges by several workers must give exactly what one read of it gives:
// the same findings (lines and offsets in the file), counts, times, notes and warnings. Ranges are
// cut tiny here so that every sample is cut many times, at every kind of line.

let engine: Engine;
let dir: string;
const opener = new EvidenceOpener();

async function byRanges(entry: EvidenceEntry, rangeBytes: number): Promise<EntryResult | { whole: string }> {
  const ranges = cutRanges(entry.size, rangeBytes);
  const parts: RangePart[] = [];
  for (const range of ranges) parts.push(await scanRange(entry, range, engine, opener));
  // Through JSON, as a part travels from a worker to the coordinator.
  return mergeRanges(entry, JSON.parse(JSON.stringify(parts)) as RangePart[], ranges.length, foldedRuleIds(engine.ruleset));
}

/** Reads every file of the inputs whole and by ranges; gives how many were compared and how many had to be read whole. */
async function compareAll(inputs: string[], rangeBytes: number): Promise<{ split: number; whole: Map<string, string> }> {
  const { entries } = await enumerateEvidence(inputs);
  let split = 0;
  const whole = new Map<string, string>();
  for (const entry of entries) {
    if (entry.location.kind !== 'file' || entry.size <= rangeBytes) continue;
    const expected = await scanEntry(entry, engine, opener);
    if (expected.evidence.kind === 'unknown') continue;
    const merged = await byRanges(entry, rangeBytes);
    if ('whole' in merged) {
      whole.set(entry.path, merged.whole);
      continue;
    }
    assert.deepEqual(JSON.parse(JSON.stringify(merged)), JSON.parse(JSON.stringify(expected)), entry.path);
    split += 1;
  }
  return { split, whole };
}

describe('a log read by byte ranges', () => {
  before(async () => {
    engine = await loadEngine();
    dir = await mkdtemp(join(tmpdir(), 'exir-ranges-'));
    await generateDemo({ outDir: join(dir, 'demo'), targetBytes: 1_500_000 });
  });
  after(async () => {
    await opener.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives what one read gives, on the demo bundle cut into 2 KiB ranges', async () => {
    const { split, whole } = await compareAll([join(dir, 'demo')], 2048);
    assert.ok(split >= 20, `logs compared by ranges: ${split}`);
    assert.ok(whole.size <= split / 10, `few logs need a whole read: ${[...whole].map(([p, why]) => `${p}: ${why}`).join('; ')}`);
  });

  it('gives what one read gives, on the public sample logs cut into 1 KiB ranges', async (t) => {
    const folders = ['qazeer-artefacts-help/extracted', 'velociraptor-testdata'].map((f) => join(CORPUS, f));
    if (skipIf(t, 'corpus', corpusMissing(...folders))) return;
    const { split } = await compareAll(folders, 1024);
    assert.ok(split >= 3, `sample logs compared by ranges: ${split}`);
  });

  it('a range that starts inside a quoted value spread over lines is not trusted: the file is read whole', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      DateTime: `2021-03-03T02:${String(i).padStart(2, '0')}:00.000Z`,
      Cmdlet: 'Set-Mailbox',
      // A value with line breaks in it, as the management log writes a script block.
      Parameters: i === 20 ? `-Identity x${'\r\n2021-03-03T02:00:00.000Z,not,a,row'.repeat(60)}` : '-Identity x',
    }));
    const file = join(dir, 'rps.log');
    await writeFile(file, exchangeLog('Rps Cmdlet Logs', RPS_CMDLET_FIELDS, 'EX01', rows));
    const { entries } = await enumerateEvidence([file]);
    const entry = entries[0] as EvidenceEntry;
    const merged = await byRanges(entry, 1024);
    assert.ok('whole' in merged, 'read whole');
    assert.match(merged.whole, /quoted value runs past the cut/);
    // Its twin without the line breaks is read by ranges, and gives what one read gives.
    const plain = rows.map((r) => ({ ...r, Parameters: r.Parameters.replace(/\r\n/g, ' ') }));
    await writeFile(file, exchangeLog('Rps Cmdlet Logs', RPS_CMDLET_FIELDS, 'EX01', plain));
    const { entries: again } = await enumerateEvidence([file]);
    const twin = again[0] as EvidenceEntry;
    const byParts = await byRanges(twin, 1024);
    assert.ok(!('whole' in byParts), 'read by ranges');
    assert.deepEqual(JSON.parse(JSON.stringify(byParts)), JSON.parse(JSON.stringify(await scanEntry(twin, engine, opener))));
  });

  it('a #Fields line after the header changes the columns: the file is read whole', async () => {
    const line = '2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15';
    const text =
      iisLog(Array.from({ length: 60 }, () => line)) + '#Fields: date time c-ip cs-uri-stem\r\n' + '2021-03-03 03:00:00 198.51.100.7 /ecp/y.js\r\n'.repeat(60);
    const file = join(dir, 'u_ex210303.log');
    await writeFile(file, text);
    const { entries } = await enumerateEvidence([file]);
    const merged = await byRanges(entries[0] as EvidenceEntry, 1024);
    assert.ok('whole' in merged);
    assert.match(merged.whole, /directive after the header/);
  });
});
