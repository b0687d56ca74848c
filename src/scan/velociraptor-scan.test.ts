import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeZip } from '../evidence/test-helpers/make-zip.js';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

// A Velociraptor offline collection as its source lays it out (client_info.json, uploads.json,
// log.json, files under uploads/auto/C%3A/…): the IIS log names no server, so the host the
// collection ran on does; a file uploaded short of its size and the collector's errors are said.
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-velo-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LOG_PATH = 'uploads/auto/C%3A/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log';

test('a Velociraptor collection: the server is its host, short uploads and collector errors are warnings', async () => {
  const log = iisLog(['2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 203.0.113.9 Mozilla/5.0 - 200 0 0 15']);
  const zip = makeZip([
    { name: 'client_info.json', data: JSON.stringify({ Hostname: 'EXCH7', Fqdn: 'EXCH7.corp.example', Name: 'velociraptor' }) },
    {
      name: 'uploads.json',
      data: [
        JSON.stringify({ vfs_path: 'uploads/auto/C:/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', file_size: log.length, uploaded_size: log.length, Type: '' }),
        JSON.stringify({ vfs_path: 'uploads/auto/C:/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log', file_size: 900000, uploaded_size: 4096, Type: '' }),
        JSON.stringify({ vfs_path: 'uploads/ntfs/\\\\.\\C:/$Extend/$UsnJrnl:$J', file_size: 4096, uploaded_size: 2, Type: 'idx' }),
      ].join('\n'),
    },
    {
      name: 'log.json',
      data: `${JSON.stringify({ level: 'DEFAULT', message: 'Starting collection\n' })}\n${JSON.stringify({ level: 'ERROR', message: 'upload: C:\\Windows\\System32\\winevt\\Logs\\Security.evtx: Access is denied.\n' })}\n`,
    },
    { name: LOG_PATH, data: log, deflate: true },
  ]);
  const path = join(dir, 'Collection-EXCH7-20210312.zip');
  await writeFile(path, zip);
  const result = await scan({ inputs: [path], threads: 1 });
  const iis = result.evidence.find((e) => e.path.endsWith('u_ex210303.log'));
  assert.equal(iis?.kind, 'iis');
  assert.equal(iis?.server, 'EXCH7');
  const messages = result.warnings.map((w) => `${w.where ?? ''} ${w.message}`);
  assert.ok(
    messages.some((m) => /uploads\.json:2 Velociraptor uploaded 4096 of 900000 bytes of .*u_ex210304\.log/.test(m)),
    messages.join('\n'),
  );
  assert.ok(!messages.some((m) => /UsnJrnl/.test(m)), 'an index entry is not a short upload');
  assert.ok(messages.some((m) => /log\.json:2 Velociraptor could not collect: upload: .*Security\.evtx: Access is denied\./.test(m)));
});

test('without client_info.json the same layout is not named "uploads"', async () => {
  const log = iisLog(['2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 203.0.113.9 Mozilla/5.0 - 200 0 0 15']);
  const path = join(dir, 'EXCH8.zip');
  await writeFile(path, makeZip([{ name: LOG_PATH, data: log }]));
  const result = await scan({ inputs: [path], threads: 1 });
  assert.equal(result.evidence[0]?.server, 'EXCH8');
});
