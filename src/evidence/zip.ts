import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { yauzl } from './yauzl.js';
import { openZipFile } from './zip-file-reader.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits.js';

/** One file inside a .zip, read in place. */
interface ZipMember {
  name: string;
  /** Its place in the central directory: names may repeat, so a member is read by this, not by name. */
  index: number;
  size: number;
  compressedSize: number;
}

export interface ZipListing {
  members: ZipMember[];
  /** Entries refused for their name, with the reason; the rest of the archive is still read. */
  refused: { name: string; reason: string }[];
}

export { DEFAULT_ZIP_LIMITS, type ZipLimits };

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
}

class ZipRefused extends Error {}

function openZip(path: string): Promise<ZipFile> {
  // decodeStrings off: with it on, one bad name aborts the whole archive; we refuse that entry alone.
  return openZipFile(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
}

function decodeName(entry: Entry): string {
  return yauzl().getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
}

/** Why a member name is refused, or undefined when it is safe to use as a path inside the bundle. */
function refuseName(name: string): string | undefined {
  if (name.includes('\0')) return 'name holds a NUL byte';
  // yauzl refuses a backslash, a `..` step, and a path from the root or from a drive letter (`C:`).
  return yauzl().validateFileName(name) ?? undefined;
}

/** Reads the central directory and checks it against the limits, before any content is read. */
export async function listZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipListing> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ZipRefused(`${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`);
    }
    const listing: ZipListing = { members: [], refused: [] };
    let expanded = 0;
    let over = false;
    await forEachEntry(zip, (entry, index) => {
      const name = decodeName(entry);
      if (name.endsWith('/')) return;
      const reason = refuseName(name);
      if (reason) {
        listing.refused.push({ name, reason });
        return;
      }
      expanded += entry.uncompressedSize;
      // Counted to the end, so the message can say how big the archive says it is.
      if (expanded > limits.maxExpandedBytes) over = true;
      if (over) return;
      listing.members.push({ name, index, size: entry.uncompressedSize, compressedSize: entry.compressedSize });
    });
    if (over) {
      throw new ZipRefused(
        `expands past the limit of ${limits.maxExpandedBytes} bytes: it says it holds ${gib(expanded)}, over the ${gib(limits.maxExpandedBytes)} ` +
          'a scan reads from one archive unasked (exir scan --max-expand-gb N raises it; extracting the archive and scanning the folder avoids it)',
      );
    }
    return listing;
  } finally {
    zip.close();
  }
}

function forEachEntry(zip: ZipFile, visit: (entry: Entry, index: number) => void): Promise<void> {
  let index = 0;
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      try {
        visit(entry, index++);
        zip.readEntry();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * An open archive whose members can be streamed by their place in it. Each reader (and each worker
 * thread) opens its own, so no file handle is shared across threads.
 */
export class ZipReader {
  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<number, Entry>,
  ) {}

  static async open(path: string): Promise<ZipReader> {
    const zip = await openZip(path);
    const entries = new Map<number, Entry>();
    try {
      await forEachEntry(zip, (entry, index) => {
        const name = decodeName(entry);
        if (!refuseName(name)) entries.set(index, entry);
      });
    } catch (err) {
      zip.close();
      throw err;
    }
    return new ZipReader(zip, entries);
  }

  /** The member at `index`, checked to still carry `name`: the archive may have changed since it was listed. */
  stream(index: number, name: string): Promise<Readable> {
    const entry = this.entries.get(index);
    if (!entry || decodeName(entry) !== name) return Promise.reject(new Error(`no member ${JSON.stringify(name)} at entry ${index + 1} of the archive`));
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (err, stream) => {
        if (err) reject(err);
        else resolve(stream);
      });
    });
  }

  close(): void {
    this.zip.close();
  }
}
