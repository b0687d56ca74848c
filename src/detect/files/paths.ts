// Where a collected file sat on the server, read from its path alone. Collected paths come in many
// shapes (`EX01/inetpub/...`, `bundle.zip!/EX01/C/Program Files/...`, `C:\ProgramData\...` from a
// listing), so every test here looks for anchors anywhere in the path rather than at a fixed depth.

/** The kinds of folder a file can sit in, as far as the file checks care. */
export type PlaceKind =
  /** Under `<install>\FrontEnd\HttpProxy\` or `<install>\ClientAccess\`: Exchange's own web folders. */
  | 'exchange-web'
  /** Under `inetpub\wwwroot\` (aspnet_client and the default site). */
  | 'iis-web'
  /** A ProgramData folder ProxyShell attackers served through a virtual directory of their own. */
  | 'rogue-vdir'
  /** ASP.NET's compilation cache: what is here was compiled from a page that was requested. */
  | 'aspnet-temp'
  /** C:\root, %WINDIR%\Temp, %ProgramData% and the rest of inetpub: where dumps and archives are staged. */
  | 'staging'
  | 'other';

export interface Place {
  kind: PlaceKind;
  /** Lower-case segments of the path, `!/` and both separators split. */
  segments: string[];
  /** For `exchange-web`: the path below the install root as the baselines write it (`\frontend\httpproxy\owa\auth\logon.aspx`), lower case. */
  installRelative?: string;
  /** True when the segments below the install root include a build-numbered folder (`owa\auth\15.2.792.10\`). */
  versionFolder?: string;
}

/** The file's name (last segment), as given. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]|!\//);
  return parts[parts.length - 1] ?? '';
}

/** Lower-case extension without the dot, or ''. */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function splitSegments(path: string): string[] {
  return path
    .split(/!\/|[\\/]/)
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
}

const DRIVE = /^(?:[a-z]:|[a-z]\$|[a-z]|[a-z]_drive|drive_[a-z])$/;
/** ProgramData folders with reserved-device-like names that ProxyShell web shells were served from. */
const ROGUE_VDIR_FOLDERS = new Set(['com', 'com1', 'con', 'aux', 'who', 'xyz', 'zing', 'zoo']);
/** Build-numbered folders (three or four parts: Exchange 2013 writes `15.0.1497` too, CSS-Exchange #326). */
export const BUILD_FOLDER = /^\d{1,2}\.\d{1,2}\.\d{1,4}(?:\.\d{1,4})?$/;

function indexOfRun(segments: readonly string[], run: readonly string[], from = 0): number {
  outer: for (let i = from; i + run.length <= segments.length; i++) {
    for (let j = 0; j < run.length; j++) if (segments[i + j] !== run[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Index of the first segment below the Exchange install root: after a `V15`/`V14` folder when one
 * is followed by FrontEnd or ClientAccess, else the FrontEnd (with HttpProxy) or ClientAccess
 * folder itself, so that custom install paths (`D:\Exchange\`) still map.
 */
function installRootEnd(segments: readonly string[]): number {
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    if ((s === 'v15' || s === 'v14') && (segments[i + 1] === 'frontend' || segments[i + 1] === 'clientaccess')) return i + 1;
  }
  const fe = indexOfRun(segments, ['frontend', 'httpproxy']);
  const ca = segments.indexOf('clientaccess');
  const found = [fe, ca].filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

/** Segments below the drive root, when the path shows where that is. */
function belowDrive(segments: readonly string[]): string[] | undefined {
  for (let i = 0; i < Math.min(segments.length - 1, 3); i++) {
    if (DRIVE.test(segments[i] ?? '')) return segments.slice(i + 1);
  }
  return undefined;
}

/** `root` counts only at the top of a drive (C:\root), or at the top of one server's collection. */
function inDriveRoot(segments: readonly string[]): boolean {
  const below = belowDrive(segments);
  if (below) return below[0] === 'root' && below.length > 1;
  // Only the member part of a zip path counts: `bundle.zip!/EX01/root/x` is EX01's C:\root.
  const i = segments.indexOf('root');
  return i >= 0 && i <= 2 && segments.length > i + 1;
}

function isUnderWindowsTemp(segments: readonly string[]): boolean {
  const i = indexOfRun(segments, ['windows', 'temp']);
  return i >= 0 && segments.length > i + 2;
}

function programDataIndex(segments: readonly string[]): number {
  const pd = segments.indexOf('programdata');
  if (pd >= 0) return pd + 1;
  const au = indexOfRun(segments, ['users', 'all users']);
  return au >= 0 ? au + 2 : -1;
}

export function placeOf(path: string): Place {
  const segments = splitSegments(path);
  const member = path.lastIndexOf('!/');
  const local = member >= 0 ? splitSegments(path.slice(member + 2)) : segments;
  const root = installRootEnd(segments);
  if (root >= 0) {
    const below = segments.slice(root);
    const first = below[0];
    const web = (first === 'frontend' && below[1] === 'httpproxy') || first === 'clientaccess';
    if (web && below.length > 1) {
      const versionFolder = below.slice(0, -1).find((s) => BUILD_FOLDER.test(s));
      return { kind: 'exchange-web', segments, installRelative: '\\' + below.join('\\'), ...(versionFolder ? { versionFolder } : {}) };
    }
  }
  if (segments.includes('temporary asp.net files')) return { kind: 'aspnet-temp', segments };
  const inetpub = segments.indexOf('inetpub');
  if (inetpub >= 0 && segments.length > inetpub + 1) {
    const next = segments[inetpub + 1];
    if (next === 'wwwroot' && segments.length > inetpub + 2) return { kind: 'iis-web', segments };
    if (next !== 'logs') return { kind: 'staging', segments };
  }
  const pd = programDataIndex(segments);
  if (pd >= 0 && segments.length > pd) {
    const folder = segments[pd] ?? '';
    if (ROGUE_VDIR_FOLDERS.has(folder) && segments.length > pd + 1) return { kind: 'rogue-vdir', segments };
    return { kind: 'staging', segments };
  }
  if (inDriveRoot(local) || isUnderWindowsTemp(segments)) return { kind: 'staging', segments };
  return { kind: 'other', segments };
}

/** Places where a web server could run the file: a web shell found here is in use, not only stored. */
export function isServed(kind: PlaceKind): boolean {
  return kind === 'exchange-web' || kind === 'iis-web' || kind === 'rogue-vdir' || kind === 'aspnet-temp';
}

/**
 * Which paths are worth reading at all: Exchange and IIS web folders, Temporary ASP.NET Files,
 * C:\root, %WINDIR%\temp, %ProgramData% — never a whole disk. IIS's own log folder is left to the
 * log readers.
 */
export function inScope(path: string): boolean {
  return placeOf(path).kind !== 'other';
}

/**
 * The path as Windows would write it (`C:\inetpub\wwwroot\aspnet_client\x.aspx`) for indicator
 * patterns written against Windows paths. The drive is taken from the path when it shows one, else
 * assumed to be C: from the first folder that sits at a drive's top on a Windows server.
 */
const TOP_FOLDERS = new Set(['program files', 'program files (x86)', 'programdata', 'inetpub', 'windows', 'users', 'root', 'perflogs']);

export function windowsPath(path: string): string {
  const original = path.split(/!\/|[\\/]/).filter((s) => s.length > 0);
  const lower = original.map((s) => s.toLowerCase());
  for (let i = 0; i < Math.min(lower.length - 1, 3); i++) {
    const m = /^([a-z])(?::|\$|_drive)?$|^drive_([a-z])$/.exec(lower[i] ?? '');
    if (m && TOP_FOLDERS.has(lower[i + 1] ?? '')) {
      return `${(m[1] ?? m[2] ?? 'c').toUpperCase()}:\\${original.slice(i + 1).join('\\')}`;
    }
  }
  const top = lower.findIndex((s) => TOP_FOLDERS.has(s));
  if (top >= 0 && top <= 3) return `C:\\${original.slice(top).join('\\')}`;
  return `\\${original.join('\\')}`;
}

/**
 * The URL path IIS serves a file in a web folder at (`/owa/auth/x.aspx`, `/aspnet_client/x.aspx`), lower
 * case, so a file on disk and a request in a log name the same page; undefined outside the web folders.
 */
export function urlPathOf(place: Place): string | undefined {
  if (place.kind === 'exchange-web' && place.installRelative) {
    const below = place.installRelative.split('\\').filter(Boolean);
    const skip = below[0] === 'frontend' ? 2 : 1;
    return below.length > skip ? `/${below.slice(skip).join('/')}` : undefined;
  }
  if (place.kind === 'iis-web') {
    const i = place.segments.lastIndexOf('wwwroot');
    return i >= 0 && place.segments.length > i + 1 ? `/${place.segments.slice(i + 1).join('/')}` : undefined;
  }
  return undefined;
}
