// Substitution values (typed, sized) to the text Windows shows for them. Hex integers are
// lower-case without padding ('0x3e7'), GUIDs upper-case in braces, binary upper-case hex, as
// Event Viewer and Get-WinEvent render them: that is the text Sigma rules are written against.

import { filetimeIso, systemtimeIso } from './times.js';
import { u16, u32 } from './bytes.js';

export const T_NULL = 0x00;
const T_STRING = 0x01;
const T_ANSI = 0x02;
export const T_BINXML = 0x21;
export const ARRAY_FLAG = 0x80;

const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** Size in bytes of each fixed-size type, by type code; 0 where the size is not fixed. */
const FIXED_SIZE = new Uint8Array(0x20);
FIXED_SIZE.set([1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 4, 0, 16, 0, 8, 16], 0x03);
FIXED_SIZE[0x14] = 4;
FIXED_SIZE[0x15] = 8;

/** Strings of up to this many UTF-16 units are decoded in a loop: Buffer.toString's own work costs more. */
const SHORT_UNITS = 12;

function utf16Text(b: Buffer, p: number, size: number): string {
  let end = p + (size & ~1);
  // Strings are stored NUL-terminated; Windows stops at the first NUL.
  while (end > p && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
  if (end === p) return '';
  if (end - p <= SHORT_UNITS * 2) {
    let short = '';
    for (let q = p; q < end; q += 2) {
      const unit = b[q]! | (b[q + 1]! << 8);
      if (unit === 0) break;
      short += String.fromCharCode(unit);
    }
    return short;
  }
  const s = b.toString('utf16le', p, end);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function ansiText(b: Buffer, p: number, size: number): string {
  let end = p;
  const limit = p + size;
  while (end < limit && b[end] !== 0) end++;
  return b.toString('latin1', p, end);
}

function hexBytes(b: Buffer, p: number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += HEX_UPPER[b[p + i]!];
  return s;
}

function guid(b: Buffer, p: number): string {
  const h = (i: number): string => HEX_UPPER[b[p + i]!]!;
  return `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`;
}

function sid(b: Buffer, p: number, size: number): string {
  const count = b[p + 1]!;
  if (size < 8 || size < 8 + 4 * count) return hexBytes(b, p, size);
  const authority = (b[p + 2]! * 0x10000 + (b[p + 3]! << 8) + b[p + 4]!) * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
  let s = `S-${b[p]!}-${authority}`;
  for (let i = 0; i < count; i++) s += '-' + String(u32(b, p + 8 + 4 * i));
  return s;
}

function hex64(lo: number, hi: number): string {
  return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}

function uint64(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function int64(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** One value of a fixed-size type whose size has been checked. */
function fixedValue(b: Buffer, p: number, type: number): string {
  switch (type) {
    case 0x03:
      return String((b[p]! << 24) >> 24);
    case 0x04:
      return String(b[p]!);
    case 0x05:
      return String((u16(b, p) << 16) >> 16);
    case 0x06:
      return String(u16(b, p));
    case 0x07:
      return String(u32(b, p) | 0);
    case 0x08:
      return String(u32(b, p));
    case 0x09:
      return int64(u32(b, p), u32(b, p + 4));
    case 0x0a:
      return uint64(u32(b, p), u32(b, p + 4));
    case 0x0b:
      return String(b.readFloatLE(p));
    case 0x0c:
      return String(b.readDoubleLE(p));
    case 0x0d:
      return u32(b, p) !== 0 ? 'true' : 'false';
    case 0x0f:
      return guid(b, p);
    case 0x11:
      return filetimeIso(u32(b, p), u32(b, p + 4));
    case 0x12:
      return systemtimeIso(b, p);
    case 0x14:
      return '0x' + u32(b, p).toString(16);
    case 0x15:
      return hex64(u32(b, p), u32(b, p + 4));
    default:
      return '';
  }
}

/** Windows writes some booleans in fewer than 4 bytes; read what is there rather than refuse. */
function oddSizedValue(b: Buffer, p: number, size: number, type: number): string {
  if (type === 0x0d && size > 0 && size <= 8) {
    for (let i = 0; i < size; i++) if (b[p + i] !== 0) return 'true';
    return 'false';
  }
  return hexBytes(b, p, size);
}

function scalar(b: Buffer, p: number, size: number, type: number): string {
  switch (type) {
    case T_NULL:
      return '';
    case T_STRING:
      return utf16Text(b, p, size);
    case T_ANSI:
      return ansiText(b, p, size);
    case 0x0e:
      return hexBytes(b, p, size);
    case 0x10:
      return size === 4 ? '0x' + u32(b, p).toString(16) : size === 8 ? hex64(u32(b, p), u32(b, p + 4)) : hexBytes(b, p, size);
    case 0x13:
      return sid(b, p, size);
    default: {
      const fixed = type < 0x20 ? FIXED_SIZE[type]! : 0;
      if (fixed === 0) return hexBytes(b, p, size);
      return size === fixed ? fixedValue(b, p, type) : oddSizedValue(b, p, size, type);
    }
  }
}

/** The items of an array value (type with ARRAY_FLAG), each as its own text. */
export function arrayItems(b: Buffer, p: number, size: number, base: number): string[] {
  const parts: string[] = [];
  if (base === T_STRING) {
    // NUL-separated UTF-16 strings.
    let start = p;
    const end = p + (size & ~1);
    for (let q = p; q < end; q += 2) {
      if (b[q] === 0 && b[q + 1] === 0) {
        parts.push(utf16Text(b, start, q - start));
        start = q + 2;
      }
    }
    if (start < end) parts.push(utf16Text(b, start, end - start));
  } else if (base === T_ANSI) {
    for (const s of b.toString('latin1', p, p + size).split('\0')) parts.push(s);
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  } else {
    const width = base === 0x10 ? (size % 8 === 0 ? 8 : 4) : base === 0x13 ? 0 : base < 0x20 ? FIXED_SIZE[base]! : 0;
    if (base === 0x13) {
      // SIDs vary in length: each says how many sub-authorities follow.
      let q = p;
      while (q + 8 <= p + size) {
        const len = 8 + 4 * b[q + 1]!;
        if (q + len > p + size) break;
        parts.push(sid(b, q, len));
        q += len;
      }
    } else if (width === 0) {
      parts.push(hexBytes(b, p, size));
    } else {
      for (let q = p; q + width <= p + size; q += width) parts.push(scalar(b, q, width, base));
    }
  }
  return parts;
}

/** The text of a substitution value; BinXML values are walked by the caller, not rendered here. */
export function valueText(b: Buffer, p: number, size: number, type: number): string {
  // Where Windows would repeat the element per item (a Data element), the caller expands arrays.
  if (type & ARRAY_FLAG) return arrayItems(b, p, size, type & 0x7f).join(',');
  return scalar(b, p, size, type);
}
