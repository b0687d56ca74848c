// A bundle made by exir-collect: found by its manifest at the top of a zip or folder, it names the
// server its files came from, and every file it lists is checked against the hash taken on the
// server, so a file changed or lost on the way is said plainly, never passed over.

import { createHash } from 'node:crypto';
import type { CollectionCheck, Warning } from '../../core/types.js';
import type { EvidenceEntry } from '../bundle.js';
import { EvidenceOpener, readSmallText } from '../open.js';
import { readVelociraptorCollections } from './velociraptor.js';
import { MANIFEST_NAME, parseManifest, type Manifest } from './manifest.js';

/** A manifest larger than this is not one the collector wrote. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface Collection {
  /** The manifest's path in the evidence, e.g. `EX01.zip!/manifest.json`. */
  manifestPath: string;
  /** What the paths the manifest lists are relative to, e.g. `EX01.zip!/`. */
  root: string;
  manifest: Manifest;
}

function rootOf(entry: EvidenceEntry): string | undefined {
  const path = entry.path;
  if (!path.endsWith(`/${MANIFEST_NAME}`) && !path.endsWith(`!/${MANIFEST_NAME}`)) return undefined;
  const root = path.slice(0, -MANIFEST_NAME.length);
  // Only a manifest at the top of a zip, or of a folder given on the command line, describes a bundle.
  if (entry.location.kind === 'zip') return entry.location.member === MANIFEST_NAME ? root : undefined;
  return root.split('/').length === 2 ? root : undefined;
}

/**
 * Finds the collector bundles among the entries and reads their manifests. Entries of a bundle whose
 * content names no server are assigned to the server the manifest names. Velociraptor collections
 * are named after their host the same way (see velociraptor.ts).
 */
export async function findCollections(entries: EvidenceEntry[], warnings: Warning[]): Promise<Collection[]> {
  const candidates = entries.filter((e) => rootOf(e) !== undefined && e.size > 0);
  const velociraptor = entries.some((e) => e.path.endsWith('client_info.json'));
  if (candidates.length === 0 && !velociraptor) return [];
  const opener = new EvidenceOpener();
  const found: Collection[] = [];
  try {
    if (velociraptor) await readVelociraptorCollections(entries, opener, warnings);
    for (const entry of candidates) {
      const root = rootOf(entry) as string;
      let text: string;
      try {
        text = await readSmallText(opener, entry, MAX_MANIFEST_BYTES);
      } catch (err) {
        warnings.push({ where: entry.path, message: `collector manifest unreadable: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      if (!text.includes('exir-collect-manifest')) continue; // some other tool's manifest.json
      try {
        found.push({ manifestPath: entry.path, root, manifest: parseManifest(text) });
      } catch (err) {
        warnings.push({
          where: entry.path,
          message: `collector manifest not used, so its files are not verified: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
  } finally {
    await opener.close();
  }
  for (const c of found) {
    for (const e of entries) if (e.path.startsWith(c.root)) e.layoutServer = c.manifest.server.name;
  }
  return found;
}

/** Compares a collection's files, as the scan read and hashed them, with its manifest. */
export function verifyCollection(collection: Collection, evidence: readonly { path: string; sha256: string; size: number }[]): CollectionCheck {
  const { manifest, root } = collection;
  const inBundle = new Map(evidence.filter((e) => e.path.startsWith(root)).map((e) => [e.path.slice(root.length), e]));
  const check: CollectionCheck = {
    manifest: collection.manifestPath,
    server: manifest.server.name,
    ...(manifest.server.fqdn ? { fqdn: manifest.server.fqdn } : {}),
    ...(manifest.server.build ? { build: manifest.server.build } : {}),
    ...(manifest.server.timeZone ? { timeZone: manifest.server.timeZone } : {}),
    ...(manifest.collectedBy ? { collectedBy: manifest.collectedBy } : {}),
    ...(manifest.startedAt ? { startedAt: manifest.startedAt } : {}),
    ...(manifest.finishedAt ? { finishedAt: manifest.finishedAt } : {}),
    ...(manifest.window ? { window: manifest.window } : {}),
    files: manifest.files.length,
    verified: 0,
    changed: [],
    missing: [],
    unlisted: [],
    notCollected: manifest.notCollected,
  };
  for (const file of manifest.files) {
    const got = inBundle.get(file.path);
    inBundle.delete(file.path);
    if (!got) check.missing.push(file.path);
    else if (got.sha256 !== file.sha256 || got.size !== file.size) {
      check.changed.push({ path: file.path, expected: file.sha256, actual: got.sha256, expectedSize: file.size, actualSize: got.size });
    } else check.verified += 1;
  }
  inBundle.delete(collection.manifestPath.slice(root.length));
  check.unlisted = [...inBundle.keys()].sort();
  return check;
}

/** The warnings a check gives: each changed, missing or added file, located. */
export function collectionWarnings(check: CollectionCheck): Warning[] {
  const root = check.manifest.slice(0, -MANIFEST_NAME.length);
  return [
    ...check.changed.map((c) => ({
      where: `${root}${c.path}`,
      message: `differs from the collector's manifest: SHA-256 ${c.actual} (${c.actualSize} bytes), collected as ${c.expected} (${c.expectedSize} bytes)`,
    })),
    ...check.missing.map((p) => ({ where: `${root}${p}`, message: "listed in the collector's manifest but not in the bundle" })),
    ...check.unlisted.map((p) => ({ where: `${root}${p}`, message: "in the bundle but not in the collector's manifest (added after collection)" })),
  ];
}

/**
 * Checks a collector bundle's files against its manifest, for the evidence register; undefined when
 * it is not one. `known` gives a file's hash where the caller has already taken it (a registered
 * folder is hashed file by file), so no file is read twice.
 */
export async function checkCollectionAt(
  entries: EvidenceEntry[],
  warnings: Warning[],
  known?: (entry: EvidenceEntry) => { sha256: string; size: number } | undefined,
): Promise<CollectionCheck | undefined> {
  const [collection] = await findCollections(entries, warnings);
  if (!collection) return undefined;
  const opener = new EvidenceOpener();
  const hashed: { path: string; sha256: string; size: number }[] = [];
  try {
    for (const entry of entries) {
      if (!entry.path.startsWith(collection.root)) continue;
      const already = known?.(entry);
      if (already) {
        hashed.push({ path: entry.path, ...already });
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of await opener.open(entry)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      } catch (err) {
        warnings.push({ where: entry.path, message: `unreadable: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      hashed.push({ path: entry.path, sha256: hash.digest('hex'), size });
    }
  } finally {
    await opener.close();
  }
  return verifyCollection(collection, hashed);
}
