import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { inertJson } from '../core/inert-text.js';
import { safeJson } from '../core/terminal-text.js';
import type { ScanResult } from '../core/types.js';

/** The scan result as JSON: the contract other tools read (README, "JSON format"). */
export function toJson(result: ScanResult): string {
  // Valid JSON either way; C1 controls and bidi overrides escaped so a terminal shows them inert.
  return `${safeJson(result)}\n`;
}

const indented = (json: string, pad: string): string => json.replace(/\n/g, `\n${pad}`);

/**
 * toJson's text, byte for byte, a piece at a time: each item of a top-level list (findings,
 * sessions, context) on its own. Made whole, a result of many findings was the largest thing a
 * scan held: 46 MB of JSON, then its escaped copy, at the end of the bench's .evtx scan.
 */
export function* jsonPieces(result: ScanResult): Generator<string> {
  // JSON.stringify leaves out keys whose value is undefined; there are no functions in a result.
  const entries = Object.entries(result).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const head = `  ${inertJson(key)}: `;
    const tail = i < entries.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value) && value.length > 0) {
      yield `${head}[\n`;
      // An undefined item is written as null, as JSON.stringify writes it.
      for (const [j, item] of value.entries()) yield `    ${indented(inertJson(item ?? null, 2), '    ')}${j < value.length - 1 ? ',' : ''}\n`;
      yield `  ]${tail}`;
    } else {
      yield `${head}${indented(inertJson(value, 2), '  ')}${tail}`;
    }
  }
  yield '}\n';
}

/** Writes the result as JSON to a file, or to stdout for `-`, without making it one string. */
export async function writeJson(result: ScanResult, target: string): Promise<void> {
  const out = target === '-' ? process.stdout : createWriteStream(target);
  for (const piece of jsonPieces(result)) if (!out.write(piece)) await once(out, 'drain');
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
}
