import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWebServerProcesses } from './web-server-processes.js';

test('the shipped list names its sources, and no legitimate child is also a shell', async () => {
  const data = await loadWebServerProcesses();
  assert.ok(data.parents.some((p) => p.image === '\\w3wp.exe'));
  assert.ok(data.legitimateChildren.some((c) => c.image === '\\csc.exe'));
  const shells = new Set(data.shellsAndTools.map((s) => s.image.toLowerCase()));
  for (const c of data.legitimateChildren) assert.ok(!shells.has(c.image.toLowerCase()), c.image);
});

async function writeList(body: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'exir-wsp-')), 'list.json');
  await writeFile(file, JSON.stringify(body));
  return file;
}

test('an image without its leading backslash, or with an unknown source, is refused with the file named', async () => {
  const sources = { s: { name: 'n', url: 'u' } };
  const bare = await writeList({ sources, parents: [{ image: 'w3wp.exe', what: '', source: 's' }], legitimateChildren: [], shellsAndTools: [] });
  await assert.rejects(loadWebServerProcesses(bare), /w3wp\.exe is not a \\name\.exe image/);
  const unknown = await writeList({ sources, parents: [{ image: '\\w3wp.exe', what: '', source: 'x' }], legitimateChildren: [], shellsAndTools: [] });
  await assert.rejects(loadWebServerProcesses(unknown), /unknown source x/);
  const shape = await writeList({ sources, parents: [] });
  await assert.rejects(loadWebServerProcesses(shape), /not a web-server process list/);
});
