// The manifest exir-collect writes into its zip: what was collected on the server, each file's
// SHA-256 when it was read there, and what could not be read. Its content came off a possibly
// compromised server, so every field is checked for shape before use and nothing in it is trusted
// to be a safe path or name.

const MANIFEST_FORMAT = 'exir-collect-manifest';
/** The member name the collector gives its manifest, at the top of the zip. */
export const MANIFEST_NAME = 'manifest.json';

interface CollectedFile {
  /** Path inside the bundle, `/` separated. */
  path: string;
  /** Where it was on the server. */
  source: string | undefined;
  size: number;
  sha256: string;
  created: string | undefined;
  modified: string | undefined;
}

export interface Manifest {
  version: number;
  collector: { name: string; version: string | undefined };
  server: {
    name: string;
    fqdn: string | undefined;
    /** ExSetup.exe's file version, as Windows gives it (e.g. 15.01.2176.009). */
    build: string | undefined;
    timeZone: string | undefined;
    utcOffsetMinutes: number | undefined;
    /** The server's clock when the collection ended, to compare with the collector's own. */
    clockUtc: string | undefined;
  };
  collectedBy: string | undefined;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  window: { from: string; to: string } | undefined;
  files: CollectedFile[];
  notCollected: { source: string; reason: string }[];
}

export class ManifestError extends Error {}

type Json = Record<string, unknown>;

function obj(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ManifestError(`${what} is not an object`);
  return v as Json;
}

function optString(o: Json, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ManifestError(`${what}.${key} is not text`);
  return v;
}

function reqString(o: Json, key: string, what: string): string {
  const v = optString(o, key, what);
  if (v === undefined || v === '') throw new ManifestError(`${what}.${key} is missing`);
  return v;
}

function optNumber(o: Json, key: string, what: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ManifestError(`${what}.${key} is not a number`);
  return v;
}

/** ConvertTo-Json writes a one-element array as the element itself; both are accepted. */
function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Reads a manifest's text; throws ManifestError saying what is wrong with it. */
export function parseManifest(text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ManifestError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const top = obj(data, 'manifest');
  if (top['format'] !== MANIFEST_FORMAT) throw new ManifestError(`not an exir-collect manifest (format is ${JSON.stringify(top['format'])})`);
  const version = optNumber(top, 'version', 'manifest');
  if (version !== 1) throw new ManifestError(`manifest version ${String(version)} is not one this exir reads (1)`);
  const collector = obj(top['collector'] ?? {}, 'collector');
  const server = obj(top['server'], 'server');
  const window = top['window'] === undefined || top['window'] === null ? undefined : obj(top['window'], 'window');
  const files = list(top['files']).map((f, i): CollectedFile => {
    const what = `files[${i}]`;
    const o = obj(f, what);
    const sha256 = reqString(o, 'sha256', what).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ManifestError(`${what}.sha256 is not a SHA-256`);
    const size = optNumber(o, 'size', what);
    if (size === undefined || size < 0 || !Number.isInteger(size)) throw new ManifestError(`${what}.size is not a size`);
    return {
      path: reqString(o, 'path', what),
      source: optString(o, 'source', what),
      size,
      sha256,
      created: optString(o, 'created', what),
      modified: optString(o, 'modified', what),
    };
  });
  return {
    version,
    collector: { name: optString(collector, 'name', 'collector') ?? 'exir-collect', version: optString(collector, 'version', 'collector') },
    server: {
      name: reqString(server, 'name', 'server'),
      fqdn: optString(server, 'fqdn', 'server'),
      build: optString(server, 'build', 'server'),
      timeZone: optString(server, 'timeZone', 'server'),
      utcOffsetMinutes: optNumber(server, 'utcOffsetMinutes', 'server'),
      clockUtc: optString(server, 'clockUtc', 'server'),
    },
    collectedBy: optString(top, 'collectedBy', 'manifest'),
    startedAt: optString(top, 'startedAt', 'manifest'),
    finishedAt: optString(top, 'finishedAt', 'manifest'),
    window: window ? { from: reqString(window, 'from', 'window'), to: reqString(window, 'to', 'window') } : undefined,
    files,
    notCollected: list(top['notCollected']).map((n, i) => {
      const o = obj(n, `notCollected[${i}]`);
      return { source: optString(o, 'source', `notCollected[${i}]`) ?? '', reason: optString(o, 'reason', `notCollected[${i}]`) ?? '' };
    }),
  };
}
