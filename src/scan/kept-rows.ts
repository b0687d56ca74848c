import type { BadRecord, EvidenceFile } from '../core/types.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import type { JobResult } from './job.js';

/**
 * No bad records: one array for every row that has none. Frozen, so that code adding to a row's
 * samples fails loudly instead of adding to every row's.
 */
const NO_BAD_SAMPLES = Object.freeze([]) as unknown as BadRecord[];

/** Nothing found, nothing said: one list for every file's result that has none, frozen as NO_BAD_SAMPLES is. */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * Keeps the evidence rows of a scan for its output, with what they repeat held once: each file's
 * row lives until the report is written, so at 100,000 files every byte of a row is 100 KB of
 * memory. A row from a worker thread is a copy, and so are its strings: its path (the entry's,
 * already held), its kind, server, the server's spellings and build, the same few words across
 * thousands of files; and each row had an empty list of bad records of its own. The row keeps its
 * keys in their order and the same values, so the JSON written is the same.
 */
export class RowKeeper {
  private readonly words = new Map<string, string>();
  private readonly nameLists = new Map<string, string[]>();

  /**
   * A file's first-pass result as it arrives: its row kept as `keep` keeps it, and its empty lists
   * of findings, warnings and context made one. Taken at once, a worker's copies of the repeated
   * words die young instead of outliving the pass in the result map.
   */
  take(entry: EvidenceEntry, result: JobResult): JobResult {
    if (result.kind !== 'detect') return result;
    const r = result.result;
    this.keep(r.evidence, entry);
    if (r.findings.length === 0) r.findings = NONE;
    if (r.warnings.length === 0) r.warnings = NONE;
    if (r.context?.length === 0) r.context = NONE;
    return result;
  }

  keep(row: EvidenceFile, entry: EvidenceEntry): EvidenceFile {
    if (row.path === entry.path) row.path = entry.path;
    row.kind = this.word(row.kind);
    if (row.server !== undefined) row.server = this.word(row.server);
    if (row.build !== undefined) row.build = this.word(row.build);
    if (row.note !== undefined) row.note = this.word(row.note);
    if (row.serverNames) row.serverNames = this.names(row.serverNames);
    if (row.badSamples.length === 0) row.badSamples = NO_BAD_SAMPLES;
    return row;
  }

  /** The same spellings in the same order are one frozen list, shared by the rows that have them. */
  private names(names: string[]): string[] {
    const key = JSON.stringify(names);
    const held = this.nameLists.get(key);
    if (held !== undefined) return held;
    const list = Object.freeze(names.map((n) => this.word(n))) as string[];
    this.nameLists.set(key, list);
    return list;
  }

  private word<T extends string>(text: T): T {
    const held = this.words.get(text);
    if (held !== undefined) return held as T;
    this.words.set(text, text);
    return text;
  }
}
