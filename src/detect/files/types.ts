import type { Finding, Origin, Warning } from '../../core/types.js';

/** What the file checks know of one file: facts from the evidence register, and its content on request. */
export interface FileFacts {
  path: string;
  /** Lower-case hex; '' when the source gave none (a listing row without a hash). */
  sha256: string;
  size: number;
  server: string | undefined;
  /** Last-write time if known (from an inventory listing or the zip/file system), ISO UTC. */
  modified?: string;
  /** The first bytes (up to 64 KiB) for format checks; full content via read() only when a rule needs it. */
  head: Buffer;
  read(): Promise<Buffer>;
  /** Other hashes a listing gave, lower-case hex. */
  md5?: string;
  sha1?: string;
  /** Set by listings: the content was not collected, so `head` is empty and `read()` fails. */
  contentMissing?: boolean;
  /** Where the facts were read when that is not the file itself: a listing's row. Findings point there. */
  origin?: Origin;
}

export interface FileChecker {
  check(file: FileFacts): Promise<Finding[]>;
  close(): void;
  /** Problems met while checking (content that could not be read), each with its path; cleared when taken. */
  takeWarnings(): Warning[];
}

export interface TimeWindow {
  /** ISO 8601 UTC, inclusive. */
  from: string;
  /** ISO 8601 UTC, inclusive. */
  to: string;
}

export interface FileCheckerOptions {
  /** Folders of .yar files; default rules/yara/. */
  yaraDirs?: string[];
  /** Folder of indicator lists (*.json); default rules/ioc/. */
  iocDir?: string;
  /** Folder holding exchange-web-files.json.gz and benign-archives.json; default data/baselines/. */
  baselineDir?: string;
  /** The Exchange build of every server in the evidence, when one build is known for all. */
  build?: string;
  /** Build per server name (upper case, as findings name servers); wins over `build`. */
  builds?: Record<string, string>;
  /** When the attack is known to have happened: archives written inside it are raised. */
  attackWindow?: TimeWindow;
  /** Files up to this size are scanned whole with YARA; larger ones by their head only. Default 20 MiB. */
  maxYaraBytes?: number;
}
