// What exir-collect makes on a server, made here from files in memory: the same zip layout and the
// same manifest, so the reading side is tested without Windows.

import { createHash } from 'node:crypto';
import { makeZip } from '../../test-helpers/make-zip.js';

export interface CollectedSpec {
  /** Path inside the zip, e.g. `exchange/HttpProxy/Owa/HttpProxy_2021030302-1.LOG`. */
  path: string;
  data: Buffer;
}

export interface CollectionOptions {
  server?: string;
  /** Bytes to put in the zip instead of what the manifest hashed, by path: a file changed on the way. */
  replace?: Record<string, Buffer>;
  /** Paths left out of the zip though the manifest lists them. */
  drop?: string[];
  /** Files in the zip the manifest does not list. */
  extra?: CollectedSpec[];
}

export function collectionManifest(files: CollectedSpec[], server = 'EX01'): Record<string, unknown> {
  return {
    format: 'exir-collect-manifest',
    version: 1,
    collector: { name: 'exir-collect', version: '0.1.0' },
    server: {
      name: server,
      fqdn: `${server.toLowerCase()}.corp.example`,
      build: '15.01.2176.002',
      timeZone: 'GMT Standard Time',
      utcOffsetMinutes: 0,
      clockUtc: '2021-03-12T10:00:00.000Z',
    },
    collectedBy: 'CORP\\admin',
    startedAt: '2021-03-12T09:50:00.000Z',
    finishedAt: '2021-03-12T10:00:00.000Z',
    window: { from: '2021-02-20T00:00:00.000Z', to: '2021-03-12T00:00:00.000Z' },
    limits: { maxTotalBytes: 21474836480 },
    files: files.map((f) => ({
      path: f.path,
      source: `C:\\Program Files\\Microsoft\\Exchange Server\\V15\\${f.path.replace(/\//g, '\\')}`,
      size: f.data.length,
      created: '2021-03-01T00:00:00.000Z',
      modified: '2021-03-11T23:59:00.000Z',
      sha256: createHash('sha256').update(f.data).digest('hex'),
    })),
    notCollected: [{ source: 'event log Microsoft-Windows-Sysmon/Operational', reason: 'The specified channel could not be found.' }],
  };
}

export function makeCollection(files: CollectedSpec[], options: CollectionOptions = {}): Buffer {
  const manifest = collectionManifest(files, options.server);
  const members = files.filter((f) => !options.drop?.includes(f.path)).map((f) => ({ name: f.path, data: options.replace?.[f.path] ?? f.data, deflate: true }));
  return makeZip([
    ...members,
    ...(options.extra ?? []).map((f) => ({ name: f.path, data: f.data })),
    { name: 'manifest.json', data: JSON.stringify(manifest, null, 2) },
  ]);
}
