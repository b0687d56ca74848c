import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { scan } from './run.js';

// A scanner's flood: more findings in one log than a spread push can take as arguments (it threw
// "Maximum call stack size exceeded"), each of them the same probe. They are folded into one.
const LINES = 200_000;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-flood-'));
  await mkdir(join(dir, 'EX01'));
  const out = createWriteStream(join(dir, 'EX01', 'u_ex210304.log'));
  out.write(
    '#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-04 00:00:00\n' +
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n',
  );
  for (let i = 0; i < LINES; i += 1) {
    const time = new Date(Date.UTC(2021, 2, 4) + Math.floor(i / 4) * 1000).toISOString().slice(11, 19);
    const ok = out.write(`2021-03-04 ${time} 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.77 Mozilla/5.0+(compatible;+Nmap+Scripting+Engine) - 404 0 0 1\n`);
    if (!ok) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a flood of identical probes is one finding with its count, first and last time and sample lines', async () => {
  const result = await scan({ inputs: [join(dir, 'EX01')], threads: 1 });
  const probes = result.findings.filter((f) => f.clientIp === '198.51.100.77');
  assert.ok(probes.length >= 1 && probes.length <= 3, `folded to a finding per rule, got ${probes.length}`);
  for (const f of probes) {
    assert.equal(f.stage, 'probe');
    assert.equal(f.repeats?.count, LINES);
    assert.equal(f.repeats?.firstTime, '2021-03-04T00:00:00.000Z');
    assert.equal(f.repeats?.lastTime, new Date(Date.UTC(2021, 2, 4) + ((LINES - 1) >> 2) * 1000).toISOString());
    assert.deepEqual(
      f.repeats?.samples.map((o) => o.line),
      [5, 6, 7, 8, 9],
    );
  }
  const server = result.servers.find((s) => s.name === 'EX01');
  assert.equal(server?.verdict, 'probed');
  assert.equal(server?.stageCounts.probe, LINES * probes.length);
});
