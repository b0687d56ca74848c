// Exchange build numbers, read and compared as numbers. Health Checker once read "1913.10" as the
// decimal 1913.1 and called a patched server vulnerable; nothing here goes through a float or a locale.

/** How much of the build a reading can show. Only a full build shows the Security Update level. */
export type Precision = 'full' | 'cu';

export interface ExchangeBuild {
  major: number;
  minor: number;
  build: number;
  /** Undefined when the reading cannot show it (three-part OWA paths). */
  revision: number | undefined;
  precision: Precision;
}

const PART = /^\d{1,6}$/;

function part(text: string): number | undefined {
  return PART.test(text) ? Number.parseInt(text, 10) : undefined;
}

/**
 * A dotted build as people paste it: `15.1.2176.9`, `15.01.2176.009`, or the three-part `15.1.2176`
 * of an OWA path. Leading zeros are padding, never decimals.
 */
export function parseDotted(text: string): ExchangeBuild | undefined {
  const pieces = text.trim().split('.');
  if (pieces.length !== 3 && pieces.length !== 4) return undefined;
  const nums = pieces.map(part);
  if (nums.some((n) => n === undefined)) return undefined;
  const [major, minor, build, revision] = nums as number[];
  if (major === undefined || minor === undefined || build === undefined) return undefined;
  return { major, minor, build, revision, precision: revision === undefined ? 'cu' : 'full' };
}

/**
 * `Version 15.1 (Build 2176.9)`: the AdminDisplayVersion that Get-ExchangeServer shows. Setup writes it
 * when a CU is installed and Security Updates never change it, so the revision is the CU's own.
 */
export function parseAdminDisplayVersion(text: string): ExchangeBuild | undefined {
  const m = /^\s*Version\s+(\d{1,3})\.(\d{1,3})\s*\(\s*Build\s+(\d{1,6})\.(\d{1,6})\s*\)\s*$/i.exec(text);
  if (!m) return undefined;
  return {
    major: Number.parseInt(m[1] ?? '', 10),
    minor: Number.parseInt(m[2] ?? '', 10),
    build: Number.parseInt(m[3] ?? '', 10),
    revision: Number.parseInt(m[4] ?? '', 10),
    precision: 'cu',
  };
}

/** Negative, zero or positive as a is lower, equal or higher; a missing revision counts as 0. */
export function compareBuilds(a: ExchangeBuild, b: ExchangeBuild): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build || (a.revision ?? 0) - (b.revision ?? 0);
}

/** `15.1.2176.9`, or `15.1.2176` when the revision is unknown. */
export function formatBuild(b: ExchangeBuild): string {
  return b.revision === undefined ? `${b.major}.${b.minor}.${b.build}` : `${b.major}.${b.minor}.${b.build}.${b.revision}`;
}

/** The long form Microsoft's table and ExSetup use: `15.01.2176.009`. */
export function formatLong(b: ExchangeBuild): string {
  const rev = b.revision === undefined ? '' : `.${String(b.revision).padStart(3, '0')}`;
  return `${b.major}.${String(b.minor).padStart(2, '0')}.${String(b.build).padStart(4, '0')}${rev}`;
}

/** A table entry, which is always a full build. */
export function mustParse(text: string): ExchangeBuild {
  const b = parseDotted(text);
  if (!b || b.precision !== 'full') throw new Error(`not a four-part build: ${text}`);
  return b;
}
