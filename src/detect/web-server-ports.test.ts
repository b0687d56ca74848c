import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWebServerPorts } from './web-server-ports.js';

test('the shipped list names a source for every port and keeps the tunnel ports out', async () => {
  const data = await loadWebServerPorts();
  const ports = new Set(data.ports.map((p) => p.port));
  for (const own of [53, 88, 389, 443, 444, 3268]) assert.ok(ports.has(own), `${own} is one of Exchange's own`);
  // Remote Desktop, SMB and WinRM are the tunnel rule's: listing them here would hide what it finds.
  for (const tunnel of [3389, 445, 5985, 5986]) assert.ok(!ports.has(tunnel), `${tunnel} must not be listed`);
  assert.deepEqual([data.dynamicRange.from, data.dynamicRange.to], [49152, 65535]);
});

async function writeList(body: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'exir-wsports-')), 'ports.json');
  await writeFile(file, JSON.stringify(body));
  return file;
}

test('a port out of range, inside the dynamic range or with an unknown source is refused with the file named', async () => {
  const sources = { s: { name: 'n', url: 'u' } };
  const dynamicRange = { from: 49152, to: 65535, what: 'rpc', source: 's' };
  const bad = await writeList({ sources, ports: [{ port: 70000, what: 'x', source: 's' }], dynamicRange });
  await assert.rejects(loadWebServerPorts(bad), /ports\.json: 70000 is not a port/);
  const inside = await writeList({ sources, ports: [{ port: 50000, what: 'x', source: 's' }], dynamicRange });
  await assert.rejects(loadWebServerPorts(inside), /50000 is inside the dynamic range/);
  const unknown = await writeList({ sources, ports: [{ port: 53, what: 'DNS', source: 'x' }], dynamicRange });
  await assert.rejects(loadWebServerPorts(unknown), /DNS names an unknown source x/);
  const reversed = await writeList({ sources, ports: [], dynamicRange: { ...dynamicRange, from: 65535, to: 49152 } });
  await assert.rejects(loadWebServerPorts(reversed), /not a port range/);
  await assert.rejects(loadWebServerPorts(await writeList({ sources, ports: [] })), /not a web-server port list/);
});
