import type { BadRecord, LogRecord, SourceKind } from '../core/types.js';
import type { RecordNeeds } from './bytes/record-needs.js';

/**
 * What a reader is asked to do with one file. Readers stream: they see the file as a sequence of
 * byte chunks and never hold the whole of it.
 */
export interface ReadOptions {
  /** Path of the file inside the evidence, used in every origin. */
  path: string;
  /**
   * Lower-case literals. When given, only records whose raw text contains at least one of them
   * (compared case-insensitively) are split into fields and handed to `onRecord`; every other
   * record is still counted, timed and checked for damage. Undefined: every record is handed on.
   * An empty list: none is.
   */
  literals?: readonly string[];
  /**
   * Asked of the records holding one of `literals`, before they are split: whether some rule could
   * match them, by every string it tests (sources/bytes/record-needs.ts). Undefined: each of them is.
   */
  needs?: RecordNeeds;
  /**
   * `metLo`/`metHi`: for a record the check of `needs` let through, the clauses it met (bits as
   * clauseMask in sources/bytes/record-needs.ts numbers them); absent when no check was made.
   */
  onRecord(record: LogRecord, metLo?: number, metHi?: number): void;
  /**
   * Windows event readers that can read an event's System section before the rest ask this with its
   * kind: its EVENT_KIND_COLUMNS (EventID, Channel, Provider_Name) as its record would hold them, and
   * nothing else. The answer must depend on those alone: a reader asks once per kind in a file and
   * remembers. An event refused is counted and timed, but its data is not decoded (nor checked for
   * damage) and it is not handed on. Undefined: every event is read whole.
   */
  wantsEvent?: (kind: Readonly<Record<string, string>>) => boolean;
  /**
   * Readers that can offer a damaged record (still counted as bad) for a search of its raw text call
   * this, for records that pass the literal pre-filter.
   */
  onDamaged?(record: LogRecord): void;
}

/** What a reader learnt of a file as a whole. */
export interface ReadStats {
  kind: SourceKind;
  records: number;
  badRecords: number;
  /** The first bad records with their location (at most `MAX_BAD_SAMPLES`). */
  badSamples: BadRecord[];
  firstTime: string | undefined;
  lastTime: string | undefined;
  /** The server that wrote the log, read from its content (ServerHostName, ServerName, s-computername). */
  server: string | undefined;
  /** Exchange build the log names (the `#Version` line or the Major/Minor/Build/RevisionVersion columns). */
  build?: string;
  /** Notes about the file as a whole, e.g. a malformed `#Fields` line, with the line number. */
  notes: string[];
}

export const MAX_BAD_SAMPLES = 20;

/** One reader per format, all behind this interface. */
export interface LogReader {
  readonly name: string;
  /** The format is binary: its bytes are not text to check as UTF-8. */
  readonly binary?: boolean;
  /**
   * The reader is done with each piece it is given before it asks for the next, and keeps no view
   * of one (what it keeps, it copies): the bytes of a piece may then be read over by the next.
   */
  readonly keepsNoPiece?: boolean;
  /** True when the first bytes of a file (decoded as UTF-8, at most 64 KiB) are this reader's format. */
  sniff(head: string): SourceKind | undefined;
  read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats>;
}

/** Feeds a file's chunks to its splitter, ends it, and returns what the file's records added up to. */
export async function readThrough(
  chunks: AsyncIterable<Buffer>,
  splitter: { push(chunk: Buffer): void; finish(): void },
  file: { finish(): ReadStats },
): Promise<ReadStats> {
  for await (const chunk of chunks) splitter.push(chunk);
  splitter.finish();
  return file.finish();
}
