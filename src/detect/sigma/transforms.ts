// Sigma's transformation modifiers: windash, the UTF-16 encodings and the two Base64 forms. Each turns one value
// into one or more values; the match type (contains, startswith…) is applied afterwards.

import { Buffer } from 'node:buffer';
import { RuleProblem } from './problem.js';
import { plain, plainText, WINDASH_CHARS, type Part, type Pattern } from './pattern.js';

/** A value on its way through the modifiers: still text (maybe with wildcards), or bytes awaiting Base64. */
export type Stage = { kind: 'pattern'; pattern: Pattern } | { kind: 'bytes'; bytes: Buffer; encoding: string };

const WORD = /[\p{L}\p{N}_]/u;
const DASHES: ReadonlySet<string> = new Set(WINDASH_CHARS);
/** Beyond this many dash positions the variants (5^n) are replaced by a character class. */
const MAX_ENUMERATED_DASHES = 3;

type Unit = string | Exclude<Part, { kind: 'text' }>;

/**
 * A dash or slash that starts a word (no word character before it, one after it) may be written with any windash
 * character; other dashes (in `x-y`, `a/b`) stay as they are.
 */
export function windash(p: Pattern): Pattern[] {
  const units: Unit[] = p.flatMap((x): Unit[] => (x.kind === 'text' ? Array.from(x.text) : [x]));
  const isWord = (u: Unit | undefined): boolean => typeof u === 'string' && WORD.test(u);
  const positions: number[] = [];
  units.forEach((u, i) => {
    if (typeof u === 'string' && DASHES.has(u) && !isWord(units[i - 1]) && isWord(units[i + 1])) positions.push(i);
  });
  if (positions.length === 0) return [p];
  if (positions.length > MAX_ENUMERATED_DASHES) {
    for (const i of positions) units[i] = { kind: 'dash' };
    return [fromUnits(units)];
  }
  let variants: Unit[][] = [units];
  for (const i of positions) {
    variants = variants.flatMap((v) =>
      WINDASH_CHARS.map((d) => {
        const copy = v.slice();
        copy[i] = d;
        return copy;
      }),
    );
  }
  return variants.map(fromUnits);
}

function fromUnits(units: readonly Unit[]): Pattern {
  const out: Part[] = [];
  let text = '';
  for (const u of units) {
    if (typeof u === 'string') {
      text += u;
      continue;
    }
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
    out.push(u);
  }
  if (text !== '') out.push({ kind: 'text', text });
  return out;
}

function literalText(stage: Stage, modifier: string): string {
  if (stage.kind === 'bytes') throw new RuleProblem(`${modifier} cannot follow ${stage.encoding}`);
  const text = plainText(stage.pattern);
  if (text === undefined) throw new RuleProblem(`${modifier} cannot encode a value with wildcards`);
  return text;
}

export function utf16(stage: Stage, modifier: 'utf16le' | 'utf16be' | 'utf16' | 'wide'): Stage {
  const le = Buffer.from(literalText(stage, modifier), 'utf16le');
  if (modifier === 'utf16be') return { kind: 'bytes', bytes: Buffer.from(le).swap16(), encoding: modifier };
  if (modifier === 'utf16') return { kind: 'bytes', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]), encoding: modifier };
  return { kind: 'bytes', bytes: le, encoding: modifier };
}

function bytesOf(stage: Stage, modifier: string): Buffer {
  return stage.kind === 'bytes' ? stage.bytes : Buffer.from(literalText(stage, modifier), 'utf8');
}

export function base64(stage: Stage): Stage {
  return { kind: 'pattern', pattern: plain(bytesOf(stage, 'base64').toString('base64')) };
}

/**
 * The value as it reads inside a longer Base64 text, for each of the three alignments. The characters at each end
 * that also encode bits of the unknown neighbouring bytes are cut off (the same cuts pySigma makes).
 */
export function base64offset(stage: Stage): Stage[] {
  const bytes = bytesOf(stage, 'base64offset');
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: Stage[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const cut = endCut[(bytes.length + shift) % 3] as number;
    const text = encoded.slice(startCut[shift], encoded.length - cut);
    out.push({ kind: 'pattern', pattern: plain(text) });
  }
  return out;
}
