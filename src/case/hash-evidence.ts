// Hashes what the analyst registers as evidence: one file, a .zip as one file, or a folder walked
// file by file. Each file is streamed through SHA-256, never held whole in memory.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CaseError } from './errors.js';

export interface HashedFile {
  /** Path inside the folder with `/` separators; the file's own name for a single file. */
  relpath: string;
  size: number;
  sha256: string;
}

export interface HashedEvidence {
  kind: 'file' | 'folder' | 'zip';
  location: string;
  /** The file's hash; for a folder, the hash of its manifest (every file's path, size and hash). */
  sha256: string;
  size: number;
  files: HashedFile[];
  skipped: { relpath: string; reason: string }[];
  /** Files that could not be read at all (permissions, vanished mid-walk). */
  unreadable: { relpath: string; reason: string }[];
}

export function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => {
      const buf = chunk as Buffer;
      size += buf.length;
      hash.update(buf);
    });
    stream.on('error', reject);
    stream.on('end', () => resolvePromise({ sha256: hash.digest('hex'), size }));
  });
}

/** One line per file, as JSON so no file name can forge another line. */
export function manifestHash(files: readonly HashedFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${JSON.stringify([f.relpath, f.size, f.sha256])}\n`, 'utf8');
  return hash.digest('hex');
}

async function isZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    const magic = buf.subarray(0, bytesRead).toString('latin1');
    return magic === 'PK\u0003\u0004' || magic === 'PK\u0005\u0006';
  } finally {
    await fh.close();
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Walks a folder without following links: a link could point anywhere, including out of the evidence. */
async function walk(root: string, rel: string, out: HashedEvidence): Promise<void> {
  const dir = rel === '' ? root : join(root, rel);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.unreadable.push({ relpath: rel === '' ? '.' : rel, reason: err instanceof Error ? err.message : String(err) });
    return;
  }
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  for (const entry of entries) {
    const relpath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      await walk(root, relpath, out);
    } else if (entry.isFile()) {
      try {
        const { sha256, size } = await hashFile(join(root, relpath));
        out.files.push({ relpath, size, sha256 });
      } catch (err) {
        out.unreadable.push({ relpath, reason: err instanceof Error ? err.message : String(err) });
      }
    } else {
      out.skipped.push({ relpath, reason: entry.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file' });
    }
  }
}

export async function hashEvidence(path: string): Promise<HashedEvidence> {
  const location = resolve(path);
  let info;
  try {
    info = await lstat(location);
  } catch (err) {
    throw new CaseError(`cannot read evidence at ${location}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (info.isDirectory()) {
    const out: HashedEvidence = { kind: 'folder', location, sha256: '', size: 0, files: [], skipped: [], unreadable: [] };
    await walk(location, '', out);
    out.sha256 = manifestHash(out.files);
    out.size = out.files.reduce((n, f) => n + f.size, 0);
    return out;
  }
  if (!info.isFile()) throw new CaseError(`evidence must be a file or a folder: ${location}`);
  const { sha256, size } = await hashFile(location);
  const kind = (await isZip(location)) ? 'zip' : 'file';
  const name = location.split(/[\\/]/).pop() ?? location;
  return { kind, location, sha256, size, files: [{ relpath: name, size, sha256 }], skipped: [], unreadable: [] };
}
