// Reads a collected file listing (CSV: path, size, times, hashes) into file facts without content,
// so the hash, path and name checks run on servers whose files were listed rather than copied.
// The typical input is PowerShell's Export-Csv of Get-ChildItem joined with Get-FileHash: a
// `#TYPE` line, a header, every cell quoted, dates in the collecting machine's culture.
import { TextDecoder } from 'node:util';
import type { BadRecord, Origin } from '../../core/types.js';
import { splitQuoted } from '../csv-split.js';
import { MAX_BAD_SAMPLES } from '../reader.js';
import { mapColumns, usable, type InventoryColumns } from './columns.js';
import { orderShownBy, parseListingTime, resolve, type DateOrder } from './listing-time.js';

/** One listed file, in the shape the file checks take (FileFacts), with no content. */
export interface InventoryEntry {
  path: string;
  /** Lower-case hex, '' when the row gave none. */
  sha256: string;
  /** 0 when the row gave none (see `sizeKnown`). */
  size: number;
  sizeKnown: boolean;
  server: string | undefined;
  modified?: string;
  created?: string;
  md5?: string;
  sha1?: string;
  /** The listing wrote local times (LastWriteTime, zone unknown); they are read as if UTC. */
  localTime?: boolean;
  head: Buffer;
  read(): Promise<Buffer>;
  contentMissing: true;
  /** The listing's row: findings point there. */
  origin: Origin;
}

export interface InventoryStats {
  /** Data rows read (header and `#TYPE` line not counted). */
  rows: number;
  files: number;
  folders: number;
  /** Files listed without any hash. */
  unhashed: number;
  badRows: number;
  badSamples: BadRecord[];
  /** The header as the listing spells it. */
  columns: string[];
  delimiter: string;
  dateOrder?: DateOrder;
  /** About the listing as a whole: the #TYPE, local times, undecidable dates. */
  notes: string[];
}

export interface InventoryReadOptions {
  /** The listing's path in the evidence, for origins. */
  path: string;
  /** The server the listing describes, when known (the bundle's layout). */
  server?: string;
  onEntry(entry: InventoryEntry): void;
}

const NO_CONTENT = (): Promise<Buffer> => Promise.reject(new Error('content not collected: the listing gives facts only'));
const EMPTY = Buffer.alloc(0);
const MAX_RECORD_CHARS = 1024 * 1024;
const HEX = { sha256: /^[0-9a-f]{64}$/, sha1: /^[0-9a-f]{40}$/, md5: /^[0-9a-f]{32}$/ };

function decodeHead(head: string): string {
  // A UTF-16 file read as UTF-8 shows a NUL after every ASCII character.
  const text = head.replace(/^\uFEFF/, '').replace(/^\uFFFD\uFFFD/, '');
  return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

function headerOf(lines: string[]): { header: string[]; delimiter: string } | undefined {
  const first = lines.findIndex((l) => l.trim().length > 0 && !l.startsWith('#'));
  const line = lines[first];
  if (line === undefined) return undefined;
  for (const delimiter of [',', ';', '\t']) {
    const header = splitQuoted(line.replace(/\r$/, ''), delimiter);
    if (header.length > 1 && usable(mapColumns(header))) return { header, delimiter };
  }
  return undefined;
}

/** True when the first bytes are a file listing this reader understands (a header naming a path and a size, hash or time). */
export function sniffInventory(head: string): boolean {
  const lines = decodeHead(head).split('\n').slice(0, 3);
  if (lines[0]?.startsWith('#') && !/^#TYPE\b/i.test(lines[0])) return false;
  return headerOf(lines) !== undefined;
}

interface Draft {
  entry: InventoryEntry;
  modifiedText?: string;
  createdText?: string;
}

class ListingParser {
  private header: string[] | undefined;
  private delimiter = ',';
  private columns: InventoryColumns = { modifiedUtc: false, createdUtc: false };
  private order: DateOrder | undefined;
  /** Rows waiting for the file to show its day/month order, kept in order. */
  private held: Draft[] = [];
  readonly stats: InventoryStats = { rows: 0, files: 0, folders: 0, unhashed: 0, badRows: 0, badSamples: [], columns: [], delimiter: ',', notes: [] };

  constructor(private readonly opts: InventoryReadOptions) {}

  private bad(origin: Origin, reason: string): void {
    this.stats.badRows++;
    if (this.stats.badSamples.length < MAX_BAD_SAMPLES) this.stats.badSamples.push({ origin, reason });
  }

  record(text: string, line: number, offset: number): void {
    const origin: Origin = { path: this.opts.path, line, offset };
    if (text.trim().length === 0) return;
    if (!this.header) {
      if (text.startsWith('#')) {
        if (/^#TYPE\b/i.test(text)) this.stats.notes.push(`PowerShell export: ${text.slice(0, 120)}`);
        return;
      }
      const found = headerOf([text]);
      if (!found) {
        this.bad(origin, 'header names no path column with a size, hash or time column');
        return;
      }
      this.header = found.header;
      this.delimiter = found.delimiter;
      this.columns = mapColumns(found.header);
      this.stats.columns = found.header;
      this.stats.delimiter = found.delimiter;
      if (this.columns.modified !== undefined && !this.columns.modifiedUtc) {
        this.stats.notes.push(`times are ${found.header[this.columns.modified] ?? 'local'} (the server's local time, zone not given): read as if UTC`);
      }
      return;
    }
    this.stats.rows++;
    const values = splitQuoted(text, this.delimiter);
    if (values.length !== this.header.length) {
      this.bad(origin, `${values.length} values for ${this.header.length} columns`);
      return;
    }
    const c = this.columns;
    const at = (i: number | undefined): string => (i === undefined ? '' : (values[i] ?? '').trim());
    const isFolder = /^true$/i.test(at(c.container)) || /^d/i.test(at(c.mode)) || /\bDirectory\b/i.test(at(c.attributes));
    if (isFolder) {
      this.stats.folders++;
      return;
    }
    const path = at(c.path) || (at(c.directory) && at(c.name) ? `${at(c.directory).replace(/[\\/]+$/, '')}\\${at(c.name)}` : '');
    if (!path) {
      this.bad(origin, 'no path');
      return;
    }
    const problems: string[] = [];
    const entry: InventoryEntry = {
      path,
      sha256: '',
      size: 0,
      sizeKnown: false,
      server: this.opts.server,
      head: EMPTY,
      read: NO_CONTENT,
      contentMissing: true,
      origin,
    };
    const size = at(c.size);
    if (/^\d+$/.test(size)) Object.assign(entry, { size: Number(size), sizeKnown: true });
    else if (c.size !== undefined) problems.push(size ? `size ${JSON.stringify(size.slice(0, 40))} is not a number` : 'size empty');
    this.hashes(entry, problems, at);
    if (!entry.sha256 && !entry.md5 && !entry.sha1) this.stats.unhashed++;
    const draft: Draft = { entry };
    const modified = at(c.modified);
    const created = at(c.created);
    if (modified) draft.modifiedText = modified;
    if (created) draft.createdText = created;
    if (c.modified !== undefined && !c.modifiedUtc) entry.localTime = true;
    for (const t of [modified, created]) {
      const shown = orderShownBy(t);
      if (shown && !this.order) this.order = shown;
      else if (shown && shown !== this.order) problems.push(`date ${JSON.stringify(t)} is ${shown}, but earlier rows were ${this.order ?? ''}`);
    }
    if (problems.length > 0) this.bad(origin, problems.join('; '));
    this.stats.files++;
    this.held.push(draft);
    this.flush(false);
  }

  private hashes(entry: InventoryEntry, problems: string[], at: (i: number | undefined) => string): void {
    const c = this.columns;
    const put = (kind: 'sha256' | 'sha1' | 'md5', raw: string) => {
      const value = raw.toLowerCase();
      if (!value) return;
      if (HEX[kind].test(value)) entry[kind] = value;
      else problems.push(`${kind} ${JSON.stringify(raw.slice(0, 80))} is not ${kind === 'sha256' ? 64 : kind === 'sha1' ? 40 : 32} hex digits`);
    };
    put('sha256', at(c.sha256));
    put('md5', at(c.md5));
    put('sha1', at(c.sha1));
    const hash = at(c.hash);
    if (hash) {
      const algorithm = at(c.algorithm).toUpperCase().replace('-', '');
      const kind =
        algorithm === 'SHA256'
          ? 'sha256'
          : algorithm === 'SHA1'
            ? 'sha1'
            : algorithm === 'MD5'
              ? 'md5'
              : algorithm
                ? undefined
                : hash.length === 64
                  ? 'sha256'
                  : hash.length === 40
                    ? 'sha1'
                    : hash.length === 32
                      ? 'md5'
                      : 'sha256';
      if (kind) put(kind, hash);
      else problems.push(`hash algorithm ${JSON.stringify(algorithm.slice(0, 20))} is not SHA256, SHA1 or MD5`);
    }
  }

  private time(text: string | undefined, origin: Origin, label: string): string | undefined {
    if (!text) return undefined;
    const parsed = parseListingTime(text);
    if (parsed.kind === 'time') return parsed.iso;
    if (parsed.kind === 'ambiguous' && this.order) {
      const done = resolve(parsed.a, parsed.b, parsed.rest, this.order);
      if (done.kind === 'time') return done.iso;
    }
    if (parsed.kind === 'bad') this.bad(origin, `${label} ${JSON.stringify(text.slice(0, 40))} is not a time`);
    return undefined;
  }

  /** Hands on rows in order; one with a day/month-ambiguous date waits until the file shows its order (or ends). */
  flush(atEnd: boolean): void {
    let undecided = 0;
    while (this.held.length > 0) {
      const draft = this.held[0] as Draft;
      const waits = !this.order && [draft.modifiedText, draft.createdText].some((t) => t !== undefined && parseListingTime(t).kind === 'ambiguous');
      if (waits && !atEnd) return;
      this.held.shift();
      const { entry } = draft;
      const modified = this.time(draft.modifiedText, entry.origin, 'modified time');
      const created = this.time(draft.createdText, entry.origin, 'creation time');
      if (waits) undecided++;
      if (modified) entry.modified = modified;
      if (created) entry.created = created;
      this.opts.onEntry(entry);
    }
    if (undecided > 0) {
      this.stats.notes.push(`${undecided} row(s) have times left out: their dates read both as day/month and month/day, and no row of the listing shows which`);
    }
    if (atEnd && this.order) this.stats.dateOrder = this.order;
  }

  end(): void {
    if (!this.header) this.stats.notes.push('no header row found: nothing read');
    this.flush(true);
  }
}

/**
 * Streams the listing, one row at a time, to `onEntry`. Never throws for bad content: a row that
 * cannot be read is counted and located in the stats, and the rest are read.
 */
export async function readInventory(source: AsyncIterable<Buffer>, opts: InventoryReadOptions): Promise<InventoryStats> {
  const parser = new ListingParser(opts);
  let decoder: TextDecoder | undefined;
  let utf16 = false;
  let pending = '';
  let inQuote = false;
  let scanFrom = 0;
  let offset = 0;
  let line = 1;
  const emit = (end: number, withNewline: boolean) => {
    const raw = pending.slice(0, end);
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    parser.record(text, line, offset);
    const consumed = withNewline ? end + 1 : end;
    offset += utf16 ? consumed * 2 : Buffer.byteLength(pending.slice(0, consumed), 'utf8');
    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) line++;
    line += withNewline ? 1 : 0;
    pending = pending.slice(consumed);
    scanFrom = 0;
  };
  const scan = () => {
    let i = scanFrom;
    for (;;) {
      const q = inQuote ? pending.indexOf('"', i) : -1;
      if (inQuote) {
        if (q < 0) {
          // A quote left open (a damaged listing) would swallow the rest of the file: past the
          // limit, the row ends at its first line end and is read (and counted bad) as it stands.
          const nl = pending.length > MAX_RECORD_CHARS ? pending.indexOf('\n') : -1;
          if (nl >= 0) {
            inQuote = false;
            emit(nl, true);
            i = 0;
            continue;
          }
          scanFrom = pending.length;
          return;
        }
        inQuote = false;
        i = q + 1;
        continue;
      }
      const nl = pending.indexOf('\n', i);
      const open = pending.indexOf('"', i);
      if (open >= 0 && (nl < 0 || open < nl)) {
        inQuote = true;
        i = open + 1;
        continue;
      }
      if (nl < 0) {
        scanFrom = pending.length;
        return;
      }
      emit(nl, true);
      i = 0;
    }
  };
  for await (const chunk of source) {
    let bytes = chunk;
    if (!decoder) {
      if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        utf16 = true;
        offset = 2;
        bytes = bytes.subarray(2);
      } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        offset = 3;
        bytes = bytes.subarray(3);
      } else if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) {
        utf16 = true;
      }
      decoder = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8');
    }
    pending += decoder.decode(bytes, { stream: true });
    scan();
  }
  if (decoder) pending += decoder.decode();
  scan();
  if (pending.length > 0) emit(pending.length, false);
  parser.end();
  return parser.stats;
}
