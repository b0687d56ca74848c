// Every reader, and which one a file's first bytes call for. Exchange CSV comes first: its
// `#Fields` line must never be taken for a W3C one.

import { isAscii } from 'node:buffer';
import type { SourceKind } from '../core/types.js';
import { evtxReader } from './evtx/evtx-reader.js';
import { exchangeCsvReader } from './exchange-csv/exchange-csv-reader.js';
import { HEAD_LINES as CSV_HEAD_LINES } from './exchange-csv/log-types.js';
import { eomtLogReader } from './foreign/eomt-log-reader.js';
import { msertLogReader } from './foreign/msert-log-reader.js';
import { testProxyLogonReader } from './foreign/test-proxylogon-reader.js';
import type { LogReader } from './reader.js';
import { w3cReader } from './w3c/w3c-reader.js';
import { HEAD_LINES as W3C_HEAD_LINES } from './w3c/w3c-sniff.js';
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

/** Decoded as UTF-8; plain ASCII is read as latin1, the same string made at a copy's cost. */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The readers that know their logs by `#` lines alone, in READERS' order, and how many of the first lines they look at. */
const DIRECTIVE_READERS = [exchangeCsvReader, w3cReader];
/** How many of a head's first lines `sniffBytes` looks at for directives. */
export const DIRECTIVE_LINES = Math.max(CSV_HEAD_LINES, W3C_HEAD_LINES);
const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');
const HASH = 0x23;
const LF = 0x0a;

/**
 * Where the `#` lines of the head's first `lines` lines end (after a byte-order mark): just past the
 * line end of the last of them; -1 when none of those lines starts with `#`.
 */
export function directivesEnd(head: Buffer, lines: number): number {
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let end = -1;
  for (let n = 0; n < lines && at < head.length; n++) {
    const nl = head.indexOf(LF, at);
    if (head[at] === HASH) end = nl === -1 ? head.length : nl + 1;
    if (nl === -1) break;
    at = nl + 1;
  }
  return end;
}

/**
 * `sniff` of a file's first bytes read as UTF-8. A log is known by its `#` lines: they are decoded
 * alone first, up to the last of them among the lines the directive readers look at (the lines
 * after it, which they skip, can change nothing), and given to those readers; only a head that
 * neither takes is decoded whole and given to every reader. Decoding the whole 16 KiB head of each
 * of thousands of logs was a sixth of a scan's allocations. The `.evtx` reader, first in order,
 * knows its files by their first eight bytes, and such a head is read whole.
 */
export function sniffBytes(head: Buffer): { reader: LogReader; kind: SourceKind } | undefined {
  const end = head.subarray(0, EVTX_MAGIC.length).equals(EVTX_MAGIC) ? -1 : directivesEnd(head, DIRECTIVE_LINES);
  if (end > 0 && end < head.length) {
    const directives = decode(head.subarray(0, end));
    for (const reader of DIRECTIVE_READERS) {
      const kind = reader.sniff(directives);
      if (kind !== undefined) return { reader, kind };
    }
  }
  return sniff(decode(head));
}
