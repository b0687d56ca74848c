// The zip limits alone, without the zip reader: the command line shows the default in its help
// before anything is read.

/** Limits that keep a hostile archive from filling memory or time. */
export interface ZipLimits {
  /** Refuse an archive whose entries together expand past this many bytes. */
  maxExpandedBytes: number;
  /** Refuse an archive with more entries than this. */
  maxEntries: number;
}

/**
 * 8 GiB: inflating runs at a few hundred MB a second a core, so an archive this size costs under a
 * minute of reading. A bigger one is refused with a message that says how to allow it, rather than
 * taking many minutes unasked.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxExpandedBytes: 8 * 1024 ** 3, maxEntries: 200_000 };
