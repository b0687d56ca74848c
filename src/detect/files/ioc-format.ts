// Indicator lists kept as data in rules/ioc/*.json: each entry names the source it came from.

/** How an entry is compared with a file. */
export const IOC_TYPES = ['sha256', 'sha1', 'md5', 'path', 'name', 'path-pattern'] as const;
export type IocType = (typeof IOC_TYPES)[number];

interface IocSource {
  /** Who published it, in words. */
  name: string;
  url: string;
  /** Repository and path when the list was read from a repository. */
  repo?: string;
  path?: string;
  commit?: string;
  /** When the publisher released or last changed it (YYYY-MM-DD), where known. */
  published?: string;
  /** When exir's copy was taken (YYYY-MM-DD). */
  retrieved: string;
  licence: string;
}

export interface IocEntry {
  type: IocType;
  /**
   * sha256/sha1/md5: hex. path: a full Windows path as published. name: a file name.
   * path-pattern: a LOKI-style regular expression over the Windows path (`\\` is one backslash).
   */
  value: string;
  /** Key into the list's `sources`. */
  source: string;
  note?: string;
  /** The publisher's own date for the entry (DateAdded, FirstSeen), where given. */
  added?: string;
  firstSeen?: string;
  /** The publisher's score (LOKI: 40 notice, 60 warning, 100 alert). */
  score?: number;
  cves?: string[];
}

export interface IocList {
  name: string;
  description: string;
  licence: string;
  /** The attribution the licence asks for, shown with every finding from the list. */
  attribution: string;
  /** Attack wave the list belongs to, shown with findings. */
  wave?: string;
  /** CVEs every entry evidences unless the entry gives its own. */
  cves?: string[];
  sources: Record<string, IocSource>;
  entries: IocEntry[];
  /** What was left out of the source, and why. */
  omitted?: string;
}
