import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
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
 * An item of a top-level list as it stands in the whole, its lines indented: stringified inside two
 * lists, it sits at the depth it has under a key of the result, so its lines need no second pass to
 * indent them; the two lists' brackets (six characters on each side) are cut off.
 */
function listItem(item: unknown): string {
  return inertJson([[item]], 2).slice(6, -6);
}

/**
 * toJson's text, byte for byte, a piece at a time: each item of a top-level list (findings,
 * sessions, context) on its own, then what follows it. Made whole, a result of many findings was
 * the largest thing a scan held: 46 MB of JSON, then its escaped copy, at the end of the bench's
 * .evtx scan.
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
      // An undefined item is written as null, as JSON.stringify writes it (inside a list too).
      for (let j = 0; j < value.length; j++) {
        yield listItem(value[j]);
        yield j < value.length - 1 ? ',\n' : '\n';
      }
      yield `  ]${tail}`;
    } else {
      yield `${head}${indented(inertJson(value, 2), '  ')}${tail}`;
    }
  }
  yield '}\n';
}

/** Bytes gathered before a write to a file. */
const WRITE_BYTES = 1 << 20;

/**
 * Writes the result as JSON to a file, or to stdout for `-`, without making it one string. A file
 * is written from one buffer the pieces are encoded into, again and again: written as a stream,
 * each piece became a buffer of its own and a write queued, and the memory for them cost the
 * system more than the writing (the bench's .evtx: 46 MB of JSON, 12,000 pieces).
 */
export async function writeJson(result: ScanResult, target: string): Promise<void> {
  if (target === '-') {
    for (const piece of jsonPieces(result)) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    return;
  }
  const file = await open(target, 'w');
  try {
    const buf = Buffer.allocUnsafe(WRITE_BYTES);
    let used = 0;
    for (const piece of jsonPieces(result)) {
      // A UTF-16 code unit takes at most three bytes of UTF-8.
      if (piece.length * 3 > WRITE_BYTES - used) {
        await writeAll(file, buf.subarray(0, used));
        used = 0;
      }
      if (piece.length * 3 > WRITE_BYTES) await writeAll(file, Buffer.from(piece, 'utf8'));
      else used += buf.write(piece, used, 'utf8');
    }
    await writeAll(file, buf.subarray(0, used));
  } finally {
    await file.close();
  }
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length;) at += (await file.write(bytes, at, bytes.length - at)).bytesWritten;
}
