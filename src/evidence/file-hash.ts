// A large file's SHA-256 taken on the thread pool by the native addon (hashFile in
// native/exir_scan.c) while the scan reads the same file in its own thread: on a large .evtx the hash
// was a sixth of the reading thread's work. The hash must be of the bytes the scan read, so it is
// used only when both read the same number of bytes; a file that changed between the two reads is
// read again for the hash of what the scan read. Without the addon (or its OpenSSL), the scan hashes
// as it reads.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { addonFunction } from '../core/addon.js';

type HashFile = (path: string, digest: Uint8Array, state: Float64Array) => Promise<void>;

let found: HashFile | null | undefined;

function nativeHashFile(): HashFile | undefined {
  if (found === undefined) found = addonFunction<HashFile>('hashFile') ?? null;
  return found ?? undefined;
}

/** What hashFile gave: the file's SHA-256 and the bytes it covers; undefined when it could not read the file. */
export type BesideHash = Promise<{ sha256: string; bytes: number } | undefined>;

/** Starts hashing the file on the thread pool; undefined without the addon. */
export function hashBeside(path: string): BesideHash | undefined {
  const hashFile = nativeHashFile();
  if (!hashFile) return undefined;
  const digest = new Uint8Array(32);
  const state = new Float64Array(2);
  return hashFile(path, digest, state).then(() =>
    state[1] === 0 ? { sha256: Buffer.from(digest.buffer, 0, 32).toString('hex'), bytes: state[0]! } : undefined,
  );
}

/**
 * The hash of the file's first `bytes` bytes (undefined: of the whole file): the one taken beside the
 * read when it covers as many, else read again here ('' if it cannot be).
 */
export async function hashOfRead(beside: BesideHash, path: string, bytes: number | undefined): Promise<string> {
  const taken = await beside;
  if (taken && (bytes === undefined || taken.bytes === bytes)) return taken.sha256;
  return hashOfFirst(path, bytes ?? Infinity);
}

/** The SHA-256 of a file's first `bytes` bytes (fewer if it is shorter now); '' when it cannot be read. */
export function hashOfFirst(path: string, bytes: number): string {
  // Nothing read: the hash of nothing, as the scan's own hash of what it read would be.
  if (bytes === 0) return createHash('sha256').digest('hex');
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let at = 0; at < bytes;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, bytes - at), at);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      at += n;
    }
    return hash.digest('hex');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
