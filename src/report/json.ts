import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { inertAfterJson, inertJson } from '../core/inert-text.js';
import { safeJson } from '../core/terminal-text.js';
import type { ScanResult } from '../core/types.js';

/** The scan result as JSON: the contract other tools read (README, "JSON format"). */
export function toJson(result: ScanResult): string {
  // Valid JSON either way; C1 controls and bidi overrides escaped so a terminal shows them inert.
  return `${safeJson(result)}\n`;
}

const indented = (json: string, pad: string): string => (pad ? json.replace(/\n/g, `\n${pad}`) : json);

/**
 * A list longer than this is written an item at a time wherever it is, and so is an object holding
 * one. Shorter ones are written whole: a piece for every value of every finding cost more than the
 * memory it saved.
 */
const OPEN_LIST_ITEMS = 256;

/** An object or list written as JSON.stringify writes it, not by its own toJSON. */
function isOpenable(value: unknown): value is object {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** Whether `value` is a long list, or an object one of whose own values is. */
function holdsLongList(value: object): boolean {
  if (Array.isArray(value)) return value.length > OPEN_LIST_ITEMS;
  for (const item of Object.values(value)) if (Array.isArray(item) && item.length > OPEN_LIST_ITEMS) return true;
  return false;
}

/**
 * A list's item as it stands `depth` lists down, its own indent first: stringified inside that many
 * lists, its lines need no second pass to indent them; the lists' brackets and line ends (depth ×
 * (depth + 1) characters on each side) are cut off. An undefined item is null, as in a list.
 */
function itemAt(item: unknown, depth: number, json: Stringify): string {
  let wrapped: unknown = item;
  for (let k = 0; k < depth; k++) wrapped = [wrapped];
  const cut = depth * (depth + 1);
  const text = json(wrapped, 2);
  return cut === 0 ? text : text.slice(cut, -cut);
}

/** Whether `value` is written a key or an item at a time: the result's own lists, and what holds a long list. */
function opens(value: unknown, open: boolean): value is object {
  return isOpenable(value) && (open || holdsLongList(value));
}

/**
 * `value` as `JSON.stringify(value, null, 2)` writes it at the depth `pad` stands for, then
 * `after`, in pieces: opened (`open`, or holding a long list) it is written a key or an item at a
 * time, each of those in the same way; otherwise whole, its lines indented. A value written whole
 * is a piece of its own, what follows it another: joined, the value's text was copied once more.
 */
function* pieces(value: unknown, pad: string, open: boolean, after: string, json: Stringify): Generator<string> {
  if (!opens(value, open)) {
    // An undefined item of a list is written as null, as JSON.stringify writes it.
    yield indented(json(value === undefined ? null : value, 2), pad);
    yield after;
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield `[]${after}`;
      return;
    }
    yield '[\n';
    const depth = inner.length / 2;
    const last = value.length - 1;
    for (let j = 0; j <= last; j++) {
      const item: unknown = value[j];
      const sep = j < last ? ',\n' : '\n';
      if (opens(item, false)) {
        yield inner;
        yield* pieces(item, inner, false, sep, json);
      } else {
        yield itemAt(item, depth, json);
        yield sep;
      }
    }
    yield `${pad}]${after}`;
    return;
  }
  // JSON.stringify leaves out keys whose value is undefined; there are no functions in a result.
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    yield `{}${after}`;
    return;
  }
  yield '{\n';
  const last = entries.length - 1;
  for (const [i, [key, item]] of entries.entries()) {
    const head = `${inner}${json(key)}: `;
    const sep = i < last ? ',\n' : '\n';
    // The result's own lists are opened whatever their length: they are most of it.
    const openItem = open && Array.isArray(item);
    if (opens(item, openItem)) {
      yield head;
      yield* pieces(item, inner, openItem, sep, json);
    } else {
      yield `${head}${indented(json(item, 2), inner)}${sep}`;
    }
  }
  yield `${pad}}${after}`;
}

/**
 * toJson's text, byte for byte, a piece at a time: each item of a top-level list (findings,
 * sessions, context) on its own, and so each item of any long list inside them (a session's
 * timeline). Made whole, a result of many findings was the largest thing a scan held: 46 MB of
 * JSON, then its escaped copy, at the end of the bench's .evtx scan; where the attackers are in
 * most logs, one session of 16,665 entries was a piece of 17.5 MB.
 */
export function jsonPieces(result: ScanResult): Generator<string> {
  return pieces(result, '', true, '\n', inertJson);
}

type Stringify = (value: unknown, indent?: number) => string;

const plainJson: Stringify = (value, indent) => JSON.stringify(value, null, indent);

/** DEL, the one character inertAfterJson escapes that is ASCII. */
const DEL = 0x7f;

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
    // The pieces as JSON.stringify writes them, each escaped as inertJson would only when its bytes
    // hold one past ASCII or a DEL: nearly all have none, and the escape's search over 45 MB of a
    // large .evtx's findings was 50 ms (README, "The follow pass reads only what may name the attackers").
    for (let piece of pieces(result, '', true, '\n', plainJson)) {
      for (;;) {
        // A UTF-16 code unit takes at most three bytes of UTF-8.
        if (piece.length * 3 > WRITE_BYTES - used) {
          await writeAll(file, buf.subarray(0, used));
          used = 0;
        }
        if (piece.length * 3 > WRITE_BYTES) {
          await writeAll(file, Buffer.from(inertAfterJson(piece), 'utf8'));
          break;
        }
        const n = buf.write(piece, used, 'utf8');
        const bytes = buf.subarray(used, used + n);
        if (isAscii(bytes) && bytes.indexOf(DEL) === -1) {
          used += n;
          break;
        }
        // Written again, escaped, over the same place (with room for its longer text).
        const inert = inertAfterJson(piece);
        if (inert === piece) {
          used += n;
          break;
        }
        piece = inert;
      }
    }
    await writeAll(file, buf.subarray(0, used));
  } finally {
    await file.close();
  }
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length;) at += (await file.write(bytes, at, bytes.length - at)).bytesWritten;
}
