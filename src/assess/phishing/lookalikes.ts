// Lookalike domains of a protected domain: the families dnstwist made familiar (typos, omissions,
// repetitions, transpositions, homoglyphs, bit flips, TLD swaps, hyphens and dots), generated
// offline. The public-suffix list (tldts) decides what the registrable name is, so `firm.co.je`
// is varied as `firm` + `co.je`, never as `firm.co` + `je`.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { domainToASCII, domainToUnicode } from 'node:url';

// Required, not imported (src/evidence/yauzl.ts says why): as an ES module, Node read tldts's 221 KB
// CommonJS build through its lexer for its exports, 60-70 ms of CPU more than requiring it.
const { parse } = createRequire(import.meta.url)('tldts') as typeof import('tldts');

export const FAMILIES = [
  'omission',
  'repetition',
  'transposition',
  'replacement',
  'insertion',
  'addition',
  'homoglyph',
  'idn-homoglyph',
  'bitsquatting',
  'tld-swap',
  'hyphenation',
  'subdomain',
] as const;
type Family = (typeof FAMILIES)[number];

export interface Lookalike {
  /** The name as DNS and message tracking spell it (punycode for an IDN). */
  domain: string;
  /** The name as a reader sees it, where it differs (an IDN). */
  unicode?: string;
  family: Family;
  /** The protected domain it imitates. */
  of: string;
}

interface Homoglyphs {
  latin: Record<string, string[]>;
  unicode: Record<string, string[]>;
}
const HOMOGLYPHS = JSON.parse(readFileSync(new URL('../../../data/phishing/homoglyphs.json', import.meta.url), 'utf8')) as Homoglyphs;
const SWAPS = (JSON.parse(readFileSync(new URL('../../../data/phishing/tld-swaps.json', import.meta.url), 'utf8')) as { suffixes: string[] }).suffixes;

// Keys next to each key on a QWERTY keyboard: the typos a hand makes.
const QWERTY_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const NEIGHBOURS: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  QWERTY_ROWS.forEach((row, r) => {
    [...row].forEach((key, c) => {
      const near = [row[c - 1], row[c + 1], QWERTY_ROWS[r - 1]?.[c], QWERTY_ROWS[r - 1]?.[c + 1], QWERTY_ROWS[r + 1]?.[c], QWERTY_ROWS[r + 1]?.[c - 1]];
      out[key] = near.filter((k): k is string => k !== undefined && k !== '-').join('');
    });
  });
  return out;
})();

const LDH = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The registrable label and its public suffix, or undefined for what is not a registrable domain. */
export function splitDomain(domain: string): { label: string; suffix: string } | undefined {
  const ascii = domainToASCII(domain.trim().toLowerCase().replace(/\.$/, ''));
  if (!ascii) return undefined;
  const parsed = parse(ascii);
  if (!parsed.domain || !parsed.publicSuffix || !parsed.domainWithoutSuffix || parsed.isIp) return undefined;
  return { label: parsed.domainWithoutSuffix, suffix: parsed.publicSuffix };
}

function labelVariants(label: string): [Family, string][] {
  const out: [Family, string][] = [];
  const chars = [...label];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    out.push(['omission', label.slice(0, i) + label.slice(i + 1)]);
    out.push(['repetition', label.slice(0, i) + c + label.slice(i)]);
    if (i + 1 < chars.length) out.push(['transposition', label.slice(0, i) + chars[i + 1] + c + label.slice(i + 2)]);
    for (const k of NEIGHBOURS[c] ?? '') {
      out.push(['replacement', label.slice(0, i) + k + label.slice(i + 1)]);
      out.push(['insertion', label.slice(0, i + 1) + k + label.slice(i + 1)]);
    }
    for (const g of HOMOGLYPHS.latin[c] ?? []) out.push(['homoglyph', label.slice(0, i) + g + label.slice(i + 1)]);
    for (const g of HOMOGLYPHS.unicode[c] ?? []) out.push(['idn-homoglyph', label.slice(0, i) + g + label.slice(i + 1)]);
    for (let bit = 0; bit < 8; bit++) {
      const flipped = String.fromCharCode(c.charCodeAt(0) ^ (1 << bit)).toLowerCase();
      if (/[a-z0-9-]/.test(flipped) && flipped !== c) out.push(['bitsquatting', label.slice(0, i) + flipped + label.slice(i + 1)]);
    }
    if (i > 0) {
      out.push(['hyphenation', `${label.slice(0, i)}-${label.slice(i)}`]);
      out.push(['subdomain', `${label.slice(0, i)}.${label.slice(i)}`]);
    }
  }
  for (const k of 'abcdefghijklmnopqrstuvwxyz0123456789') out.push(['addition', label + k]);
  // "rn" reads as "m" too: a two-letter look-alike folded into one.
  for (const [letter, looks] of Object.entries(HOMOGLYPHS.latin)) {
    for (const look of looks) {
      if (look.length > 1)
        for (let i = label.indexOf(look); i !== -1; i = label.indexOf(look, i + 1))
          out.push(['homoglyph', label.slice(0, i) + letter + label.slice(i + look.length)]);
    }
  }
  return out;
}

/** Every lookalike of one protected domain, once each, the domain itself left out. */
export function lookalikes(domain: string): Lookalike[] {
  const parts = splitDomain(domain);
  if (!parts) return [];
  const own = `${parts.label}.${parts.suffix}`;
  const seen = new Set<string>([own]);
  const out: Lookalike[] = [];
  const add = (family: Family, name: string): void => {
    const ascii = domainToASCII(name);
    if (!ascii || seen.has(ascii) || !ascii.split('.').every((l) => LDH.test(l)) || ascii.length > 253) return;
    seen.add(ascii);
    const unicode = domainToUnicode(ascii);
    out.push({ domain: ascii, ...(unicode !== ascii ? { unicode } : {}), family, of: own });
  };
  for (const [family, label] of labelVariants(domainToUnicode(parts.label))) add(family, `${label}.${parts.suffix}`);
  for (const suffix of SWAPS) add('tld-swap', `${parts.label}.${suffix}`);
  // The firm's own name put in front of someone else's domain, the way a link or sender reads at a glance.
  add('subdomain', `${parts.label}-${parts.suffix.replace(/\./g, '-')}.com`);
  return out;
}

/** Folds each look-alike letter to the Latin letter it imitates: two names that read the same fold the same. */
function skeleton(label: string): string {
  let out = domainToUnicode(label).toLowerCase();
  for (const [letter, looks] of Object.entries(HOMOGLYPHS.unicode)) for (const look of looks) out = out.split(look).join(letter);
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1i]/g, 'l');
}

/** Edits (insert, delete, change, swap of neighbours) between two short strings. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return d[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

/** Labels shorter than this are too short for one edit to mean imitation ("abc" and "abd" are both real firms). */
const MIN_LABEL_FOR_EDITS = 5;

/**
 * Whether a domain seen in the evidence imitates one of the protected domains, and how. A domain
 * that is one of them, or a subdomain of one, is not a lookalike.
 */
export function imitates(seen: string, protectedDomains: readonly string[]): Lookalike | undefined {
  const parts = splitDomain(seen);
  if (!parts) return undefined;
  const ascii = `${parts.label}.${parts.suffix}`;
  const unicode = domainToUnicode(ascii);
  const shown = unicode !== ascii ? { unicode } : {};
  for (const p of protectedDomains) {
    const own = splitDomain(p);
    if (!own) continue;
    const of = `${own.label}.${own.suffix}`;
    if (ascii === of) return undefined;
  }
  for (const p of protectedDomains) {
    const own = splitDomain(p);
    if (!own) continue;
    const of = `${own.label}.${own.suffix}`;
    const hit = (family: Family): Lookalike => ({ domain: ascii, ...shown, family, of });
    if (parts.label === own.label) return hit('tld-swap');
    if (parts.label !== own.label && skeleton(parts.label) === skeleton(own.label)) return hit(/^xn--/.test(parts.label) ? 'idn-homoglyph' : 'homoglyph');
    if (parts.label.replace(/-/g, '') === own.label.replace(/-/g, '')) return hit('hyphenation');
    if (own.label.length >= MIN_LABEL_FOR_EDITS && distance(parts.label, own.label) === 1) return hit(typoFamily(parts.label, own.label));
    // A subdomain trick seen as a registrable name: `firm-co-je.com` or `firm.co.je.evil.com`.
    const full = seen.toLowerCase();
    if (full.startsWith(`${of}.`) || full.includes(`${own.label}-${own.suffix.replace(/\./g, '-')}`)) return hit('subdomain');
  }
  return undefined;
}

function typoFamily(seen: string, own: string): Family {
  if (seen.length < own.length) return 'omission';
  if (seen.length > own.length) {
    if (seen.startsWith(own)) return 'addition';
    for (let i = 0; i < seen.length; i++)
      if (seen.slice(0, i) + seen.slice(i + 1) === own) return seen[i] === seen[i - 1] || seen[i] === seen[i + 1] ? 'repetition' : 'insertion';
    return 'addition';
  }
  const diff = [...seen].findIndex((c, i) => c !== own[i]);
  if (seen[diff] === own[diff + 1] && seen[diff + 1] === own[diff]) return 'transposition';
  const a = seen.charCodeAt(diff);
  const b = own.charCodeAt(diff);
  const x = a ^ b;
  return x !== 0 && (x & (x - 1)) === 0 ? 'bitsquatting' : 'replacement';
}
