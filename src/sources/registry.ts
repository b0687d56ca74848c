// Every reader, and which one a file's first bytes call for. Exchange CSV comes first: its
// `#Fields` line must never be taken for a W3C one.

import { isAscii } from 'node:buffer';
import type { SourceKind } from '../core/types.js';
import { evtxReader } from './evtx/evtx-reader.js';
import { exchangeCsvReader } from './exchange-csv/exchange-csv-reader.js';
import { eomtLogReader } from './foreign/eomt-log-reader.js';
import { msertLogReader } from './foreign/msert-log-reader.js';
import { testProxyLogonReader } from './foreign/test-proxylogon-reader.js';
import type { LogReader } from './reader.js';
import { w3cReader } from './w3c/w3c-reader.js';
import { wineventJsonArrayReader } from './winevent-json/winevent-json-array-reader.js';
import { wineventJsonReader } from './winevent-json/winevent-json-reader.js';
import { wineventXmlReader } from './winevent-xml/winevent-xml-reader.js';

export const READERS: LogReader[] = [
  evtxReader,
  exchangeCsvReader,
  w3cReader,
  wineventJsonReader,
  wineventJsonArrayReader,
  wineventXmlReader,
  testProxyLogonReader,
  eomtLogReader,
  msertLogReader,
];

/**
 * How much of a file's start `sniff` is shown: every format's signature and header lines fit well
 * inside it (an Exchange log's `#Fields` line is about 1.5 KiB), and decoding more, for every file,
 * costs more than it tells.
 */
export const SNIFF_BYTES = 16 * 1024;

export function sniff(head: string): { reader: LogReader; kind: SourceKind } | undefined {
  for (const reader of READERS) {
    const kind = reader.sniff(head);
    if (kind !== undefined) return { reader, kind };
  }
  return undefined;
}

/**
 * `sniff` of a file's first bytes read as UTF-8. Nearly every head is plain ASCII, and read as
 * latin1 that is the same string made at a copy's cost: decoding 16 KiB as UTF-8 for each of
 * thousands of files was most of a file's sniffing.
 */
export function sniffBytes(head: Buffer): { reader: LogReader; kind: SourceKind } | undefined {
  return sniff(isAscii(head) ? head.toString('latin1') : head.toString('utf8'));
}
