// Which column of a collected file listing holds what. Listings come from PowerShell
// (Get-ChildItem joined with Get-FileHash, Export-Csv), from triage tools and by hand, so the
// common names are all accepted.

export interface InventoryColumns {
  path?: number;
  directory?: number;
  name?: number;
  size?: number;
  modified?: number;
  /** True when the modified column holds UTC (LastWriteTimeUtc), false for local time (LastWriteTime). */
  modifiedUtc: boolean;
  created?: number;
  createdUtc: boolean;
  sha256?: number;
  md5?: number;
  sha1?: number;
  /** Get-FileHash's `Hash`, whose algorithm the `Algorithm` column names (SHA256 unless told). */
  hash?: number;
  algorithm?: number;
  /** PSIsContainer, Mode or Attributes: tells a folder from a file. */
  container?: number;
  mode?: number;
  attributes?: number;
}

const NAMES: [keyof InventoryColumns, string[]][] = [
  ['path', ['fullname', 'path', 'filepath', 'fullpath', 'file', 'filename_full']],
  ['directory', ['directoryname', 'directory', 'folder']],
  ['name', ['name', 'filename']],
  ['size', ['length', 'size', 'filesize', 'bytes']],
  ['sha256', ['sha256', 'sha-256', 'sha256hash', 'filehash_sha256']],
  ['md5', ['md5', 'md5hash']],
  ['sha1', ['sha1', 'sha-1', 'sha1hash']],
  ['hash', ['hash', 'filehash']],
  ['algorithm', ['algorithm']],
  ['container', ['psiscontainer']],
  ['mode', ['mode']],
  ['attributes', ['attributes']],
];
const MODIFIED_UTC = ['lastwritetimeutc', 'modifiedutc', 'mtime_utc'];
const MODIFIED_LOCAL = ['lastwritetime', 'lastwrite', 'modified', 'lastmodified', 'mtime', 'datemodified'];
const CREATED_UTC = ['creationtimeutc', 'createdutc'];
const CREATED_LOCAL = ['creationtime', 'created', 'datecreated'];

export function mapColumns(header: readonly string[]): InventoryColumns {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (names: readonly string[]): number | undefined => {
    for (const n of names) {
      const i = lower.indexOf(n);
      if (i >= 0) return i;
    }
    return undefined;
  };
  const out: InventoryColumns = { modifiedUtc: false, createdUtc: false };
  for (const [key, names] of NAMES) {
    const i = find(names);
    if (i !== undefined) (out as unknown as Record<string, number>)[key] = i;
  }
  const mUtc = find(MODIFIED_UTC);
  const mLocal = find(MODIFIED_LOCAL);
  if (mUtc !== undefined) Object.assign(out, { modified: mUtc, modifiedUtc: true });
  else if (mLocal !== undefined) out.modified = mLocal;
  const cUtc = find(CREATED_UTC);
  const cLocal = find(CREATED_LOCAL);
  if (cUtc !== undefined) Object.assign(out, { created: cUtc, createdUtc: true });
  else if (cLocal !== undefined) out.created = cLocal;
  // `Name` alone is no path; it only completes DirectoryName.
  return out;
}

/** A listing needs a path (or folder and name) and at least one fact to check. */
export function usable(c: InventoryColumns): boolean {
  const hasPath = c.path !== undefined || (c.directory !== undefined && c.name !== undefined);
  const hasFact =
    c.size !== undefined || c.sha256 !== undefined || c.hash !== undefined || c.md5 !== undefined || c.sha1 !== undefined || c.modified !== undefined;
  return hasPath && hasFact;
}
