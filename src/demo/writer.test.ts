import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HourBatch } from './batch.js';
import { BundleWriter } from './writer.js';
import type { Server } from './world.js';

const HOUR = 3_600_000;
const server = { name: 'EX01', patchedAt: undefined } as unknown as Server;

// A request that ends just past the hour is written to the next hour's file, which its hour's batch
// then opens early; the next batch's rows must go on into that file, not reopen it (a demo never
// overwrites a file: at about 1 GiB the generator stopped with EEXIST on an HttpProxy log).
test("a file of the next hour opened early stays open for that hour's rows", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-writer-'));
  try {
    const writer = new BundleWriter(dir);
    const h = Date.UTC(2021, 2, 3, 9);
    const first = new HourBatch(server);
    first.rows.push({ kind: 'iis-backend', protocol: undefined, time: h + HOUR + 500, text: 'late\n' });
    first.rows.push({ kind: 'rps-http', protocol: undefined, time: h + HOUR + 200, text: 'a\n' });
    await writer.write(first);
    await writer.endHour(server, h + HOUR);
    const second = new HourBatch(server);
    second.rows.push({ kind: 'rps-http', protocol: undefined, time: h + HOUR + 60_000, text: 'b\n' });
    await writer.write(second);
    await writer.endHour(server, h + 2 * HOUR);
    await writer.closeAll();
    const rps = writer.files.filter((f) => f.includes('Rps_Http_'));
    assert.deepEqual(rps, ['EX01/Exchange/Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030310-1.LOG']);
    const text = await readFile(join(dir, ...(rps[0] ?? '').split('/')), 'utf8');
    assert.match(text, /a\nb\n$/);
    assert.equal(text.match(/#Fields/g)?.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
