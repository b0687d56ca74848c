import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { scan } from './run.js';
import { corpusMissing, skipIf } from '../test-support/skips.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const LOG_FOLDERS = ['qazeer-artefacts-help/extracted', 'velociraptor-testdata', 'evtx-attack-samples'];

// The whole scan over the real public samples: every Exchange and IIS log recognised and read,
// what is malformed said with its place, and the ProxyShell request in the IIS sample found.
test('every Exchange and IIS sample log in the corpus is recognised and read', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const result = await scan({ inputs: LOG_FOLDERS.map((f) => `${CORPUS}/${f}`), threads: 1 });
  const logs = result.evidence.filter((e) => !e.path.endsWith('.md'));
  const unread = logs.filter((e) => e.kind === 'unknown' && !/AgentLog|RECV|audit/.test(e.path));
  assert.deepEqual(
    unread.map((e) => e.path),
    [],
    'every sample is recognised by its content',
  );
  for (const e of logs) {
    assert.ok(e.records > 0, `${e.path} has records`);
    assert.match(e.sha256, /^[0-9a-f]{64}$/);
  }
  const kinds = new Set(logs.map((e) => e.kind));
  for (const kind of ['iis', 'httpproxy', 'ecp-server', 'ecp-activity', 'rps-cmdlet', 'msgtrk', 'ews', 'winevent']) {
    assert.ok(kinds.has(kind as never), `a ${kind} sample was read`);
  }

  // Malformed samples are said, with the file and line: the message tracking header repeats
  // names, the IIS web-shell example has a user agent written with raw spaces.
  const said = result.warnings.map((w) => `${w.where ?? ''} ${w.message}`);
  assert.ok(
    said.some((w) => w.includes('velociraptor-testdata/exchange.log') && /repeat/i.test(w)),
    said.join('\n'),
  );
  assert.ok(
    said.some((w) => w.includes('u_ex_iis_webshell_example.log') && /line \d+/.test(w)),
    said.join('\n'),
  );

  const proxyShell = result.findings.find((f) => f.origin.path === 'velociraptor-testdata/iis.log' && f.cves.includes('CVE-2021-34473'));
  assert.ok(proxyShell, 'the ProxyShell request is found');
  assert.equal(proxyShell.origin.line, 7);
  assert.equal(proxyShell.stage, 'exploited');
  // The health probes in the same file raise nothing.
  assert.ok(!result.findings.some((f) => f.origin.path === 'velociraptor-testdata/iis.log' && f.clientIp === '::1' && !f.benign));
});
