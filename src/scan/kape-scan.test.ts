import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { consoleReport } from '../report/console.js';
import { toJson } from '../report/json.js';
import { assertSchema } from '../test-support/json-schema.js';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

// KAPE's copy log header, as KAPE writes it (KapeDocs "Log files"; the same in public KAPE output).
const HEADER = 'CopiedTimestamp,SourceFile,DestinationFile,FileSize,SourceFileSha1,DeferredCopy,CreatedOnUtc,ModifiedOnUtc,LastAccessedOnUtc,CopyDuration';
const TDEST = 'D:\\Triage\\EX01';

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex').toUpperCase();

function row(source: string, data: Buffer): string {
  // KAPE quotes a value holding a comma.
  const q = (v: string) => (v.includes(',') ? `"${v}"` : v);
  const dest = `${TDEST}\\C\\${source.slice(3)}`;
  return [
    '2021-03-10 10:00:01.1234567',
    q(source),
    q(dest),
    data.length,
    sha1(data),
    'False',
    '2021-03-03 00:00:00.0000000',
    '2021-03-03 23:59:59.0000000',
    '2021-03-10 10:00:00.0000000',
    '00:00:00.0100000',
  ].join(',');
}

test("a KAPE collection is verified against KAPE's copy log: a changed file and a missing one are located warnings, first on the console and in JSON", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-kape-'));
  try {
    const root = join(dir, 'EX01');
    const kept = Buffer.from(iisLog(['2021-03-03 02:29:00 10.0.0.1 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 12']));
    const altered = Buffer.from(iisLog(['2021-03-04 02:29:00 10.0.0.1 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 12']));
    const lost = Buffer.from(iisLog(['2021-03-05 02:29:00 10.0.0.1 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 12']));
    const files: [string, Buffer, Buffer | undefined][] = [
      ['C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210303.log', kept, kept],
      ['C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210304.log', altered, Buffer.concat([altered, Buffer.from('x')])],
      ['C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210305.log', lost, undefined],
      ['C:\\inetpub\\logs\\LogFiles\\W3SVC2,old\\u_ex210303.log', kept, kept],
    ];
    const log = `\ufeff${[HEADER, ...files.map(([source, data]) => row(source, data))].join('\r\n')}\r\n`;
    await mkdir(root, { recursive: true });
    await writeFile(join(root, '2021-03-10T10_00_00_1234567_CopyLog.csv'), log);
    await writeFile(join(root, '2021-03-10T10_00_00_1234567_SkipLog.csv'), 'SourceFile,Reason\r\n');
    for (const [source, , stored] of files) {
      if (!stored) continue;
      const path = join(root, 'C', ...source.slice(3).split('\\'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, stored);
    }
    await writeFile(join(root, 'C', 'inetpub', 'added.aspx'), '<%@ Page %>');

    const result = await scan({ inputs: [root], threads: 1 });
    const check = result.collections?.find((c) => c.tool === 'KAPE');
    assert.ok(check, JSON.stringify(result.collections));
    assert.equal(check.manifest, 'EX01/2021-03-10T10_00_00_1234567_CopyLog.csv');
    assert.equal(check.hash, 'sha1');
    assert.equal(check.files, 4);
    assert.equal(check.verified, 2);
    assert.deepEqual(check.changed, [
      {
        path: 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log',
        expected: sha1(altered).toLowerCase(),
        actual: createHash('sha1')
          .update(Buffer.concat([altered, Buffer.from('x')]))
          .digest('hex'),
        expectedSize: altered.length,
        actualSize: altered.length + 1,
      },
    ]);
    assert.deepEqual(check.missing, ['C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log']);
    assert.deepEqual(check.unlisted, ['C/inetpub/added.aspx'], "KAPE's own logs are not files added after collection");
    const said = result.warnings.map((w) => `${w.where}: ${w.message}`);
    assert.ok(
      said.some((w) => w.startsWith("EX01/C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log: differs from KAPE's copy log: SHA-1")),
      said.join('\n'),
    );
    assert.ok(said.includes("EX01/C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log: listed in KAPE's copy log but not in the evidence"));
    const first = consoleReport(result).split('\n')[0] ?? '';
    assert.match(first, /2 of 4 file\(s\) match KAPE's copy log \(SHA-1\); 1 changed since collection, 1 missing, 1 added after collection/);
    assertSchema('scan-result', JSON.parse(toJson(result)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
