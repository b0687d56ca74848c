import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogRecord } from '../core/types.js';
import { exchangeCsvReader } from '../sources/exchange-csv/exchange-csv-reader.js';
import { chunksOf, readWith } from '../sources/test-helpers/read.js';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { fieldAccess, loadMappings } from './mapping.js';
import { loadPlaceholders } from './placeholders.js';
import { MAPPINGS_DIR, SHIPPED_SIGMA_DIR } from './rules-dirs.js';
import { compileRules } from './sigma/index.js';

// The back-end OWASSRF rule against the one public, real HttpProxy\PowerShell log (artefacts.help,
// CC0): Exchange's own Kerberos sessions there do not match, and the same lines with an agent
// Exchange does not use do, so the rule's columns and values are the log's, not a guess.
const SAMPLE = join(CORPUS, 'qazeer-artefacts-help', 'extracted', 'PowerShell__HttpProxy_2023011116-1.LOG');
const RULE = join(SHIPPED_SIGMA_DIR, 'proxynotshell', 'httpproxy-powershell-kerberos-foreign-agent.yml');

async function records(text: string): Promise<LogRecord[]> {
  return (await readWith(exchangeCsvReader, chunksOf(Buffer.from(text), 4096), undefined, SAMPLE)).records;
}

void test("the HttpProxy PowerShell rule reads the real log's columns: stock sessions pass, a foreign agent on the same lines matches", async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLE))) return;
  const { rules, errors } = compileRules(await readFile(RULE, 'utf8'), RULE, { placeholders: await loadPlaceholders() });
  assert.deepEqual(errors, []);
  const rule = rules[0]!;
  const view = (await loadMappings(MAPPINGS_DIR)).get('httpproxy')!.views[0]!;
  const text = await readFile(SAMPLE, 'utf8');

  const stock = await records(text);
  assert.equal(stock.length, 2);
  assert.deepEqual(
    stock.map((r) => [r.fields['ProtocolAction'], r.fields['UserAgent'], rule.match(fieldAccess(r, view.fields))]),
    [
      ['New-PSSession:Receive', 'Microsoft WinRM Client', false],
      ['Get-Mailbox:Command', 'Microsoft WinRM Client', false],
    ],
  );
  const foreign = await records(text.replaceAll(',Microsoft WinRM Client,', ',python-requests/2.28.1,'));
  assert.deepEqual(
    foreign.map((r) => rule.match(fieldAccess(r, view.fields))),
    [true, true],
  );
});
