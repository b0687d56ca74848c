// Writes small EVTX files by hand, for tests of shapes the real samples lack (UserData, arrays,
// text times, damage). Names, templates and nested BinXML are laid out in chunk coordinates
// exactly as Windows does: first use inline, later uses by offset.

import { crc32 } from 'node:zlib';

/** Element content: text, a substitution, or a child element. */
export type Node = string | Sub | Element;
export interface Sub {
  sub: number;
  optional?: boolean;
}
export interface Element {
  el: string;
  attrs?: [string, Node[]][];
  children?: Node[];
}

/** A substitution value: type code and bytes, or (type 0x21) nested BinXML written in place. */
export type Value = { type: number; bytes: Buffer } | { type: 0x21; write: (w: ChunkWriter) => void };

export const el = (name: string, attrs: [string, Node[]][] = [], ...children: Node[]): Element => ({ el: name, attrs, children });
export const sub = (n: number, optional = false): Sub => ({ sub: n, optional });

export const v = {
  str: (s: string): Value => ({ type: 0x01, bytes: Buffer.from(s + '\0', 'utf16le') }),
  u8: (n: number): Value => ({ type: 0x04, bytes: Buffer.from([n]) }),
  u16: (n: number): Value => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n);
    return { type: 0x06, bytes: b };
  },
  u32: (n: number): Value => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return { type: 0x08, bytes: b };
  },
  u64: (n: bigint): Value => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    return { type: 0x0a, bytes: b };
  },
  hex64: (n: bigint): Value => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    return { type: 0x15, bytes: b };
  },
  filetime: (iso: string, extraTicks = 0n): Value => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(Date.parse(iso)) * 10000n + 116444736000000000n + extraTicks);
    return { type: 0x11, bytes: b };
  },
  sid: (s: string): Value => {
    const [, rev, auth, ...subs] = s.split('-').map(Number);
    const b = Buffer.alloc(8 + 4 * subs.length);
    b[0] = rev!;
    b[1] = subs.length;
    b.writeUIntBE(auth!, 2, 6);
    subs.forEach((x, i) => b.writeUInt32LE(x, 8 + 4 * i));
    return { type: 0x13, bytes: b };
  },
  strArray: (items: string[]): Value => ({ type: 0x81, bytes: Buffer.from(items.map((s) => s + '\0').join(''), 'utf16le') }),
  null: (): Value => ({ type: 0x00, bytes: Buffer.alloc(0) }),
  raw: (type: number, bytes: Buffer): Value => ({ type, bytes }),
  binxml: (write: (w: ChunkWriter) => void): Value => ({ type: 0x21, write }),
};

export class ChunkWriter {
  readonly buf = Buffer.alloc(0x10000);
  pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<number, number>();
  private firstId = 0;
  private lastId = 0;
  private lastRecord = 0;

  u8(n: number): void {
    this.buf[this.pos++] = n;
  }
  u16(n: number): void {
    this.buf.writeUInt16LE(n, this.pos);
    this.pos += 2;
  }
  u32(n: number): void {
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Buffer): void {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  name(s: string): void {
    const known = this.names.get(s);
    if (known !== undefined) return this.u32(known);
    const at = this.pos + 4;
    this.names.set(s, at);
    this.u32(at);
    this.u32(0); // next name in the hash bucket
    this.u16(0); // hash (not checked by readers)
    this.u16(s.length);
    this.bytes(Buffer.from(s + '\0', 'utf16le'));
  }

  node(n: Node, depId: boolean): void {
    if (typeof n === 'string') {
      this.u8(0x05);
      this.u8(0x01);
      this.u16(n.length);
      this.bytes(Buffer.from(n, 'utf16le'));
    } else if ('sub' in n) {
      this.u8(n.optional === true ? 0x0e : 0x0d);
      this.u16(n.sub);
      this.u8(0x01);
    } else {
      const attrs = n.attrs ?? [];
      this.u8(attrs.length > 0 ? 0x41 : 0x01);
      if (depId) this.u16(0xffff);
      const sizeAt = this.pos;
      this.u32(0);
      this.name(n.el);
      if (attrs.length > 0) {
        const listAt = this.pos;
        this.u32(0);
        attrs.forEach(([name, value], i) => {
          this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
          this.name(name);
          for (const part of value) this.node(part, depId);
        });
        this.buf.writeUInt32LE(this.pos - listAt - 4, listAt);
      }
      const children = n.children ?? [];
      if (children.length === 0) {
        this.u8(0x03);
      } else {
        this.u8(0x02);
        for (const c of children) this.node(c, depId);
        this.u8(0x04);
      }
      this.buf.writeUInt32LE(this.pos - sizeAt - 4, sizeAt);
    }
  }

  /** A template instance: its definition inline on first use of `id` in this chunk. */
  template(id: number, body: Element, values: Value[]): void {
    this.u8(0x0c);
    this.u8(0x01);
    this.u32(id);
    const known = this.templates.get(id);
    if (known !== undefined) {
      this.u32(known);
    } else {
      const at = this.pos + 4;
      this.templates.set(id, at);
      this.u32(at);
      this.u32(0); // next template
      this.u32(id); // the GUID starts with the template id
      this.bytes(Buffer.alloc(12, 0xab));
      const sizeAt = this.pos;
      this.u32(0);
      this.bytes(Buffer.from([0x0f, 0x01, 0x01, 0x00]));
      this.node(body, true);
      this.u8(0x00);
      this.buf.writeUInt32LE(this.pos - sizeAt - 4, sizeAt);
    }
    this.u32(values.length);
    const descriptors = this.pos;
    this.pos += 4 * values.length;
    values.forEach((value, i) => {
      const start = this.pos;
      if ('write' in value) value.write(this);
      else this.bytes(value.bytes);
      this.buf.writeUInt16LE(this.pos - start, descriptors + 4 * i);
      this.buf[descriptors + 4 * i + 2] = value.type;
    });
  }

  fragment(write: () => void): void {
    this.bytes(Buffer.from([0x0f, 0x01, 0x01, 0x00]));
    write();
    this.u8(0x00);
  }

  record(id: number, write: (w: ChunkWriter) => void): number {
    const start = this.pos;
    this.bytes(Buffer.from([0x2a, 0x2a, 0, 0]));
    this.u32(0);
    this.buf.writeBigUInt64LE(BigInt(id), this.pos);
    this.pos += 8;
    this.buf.writeBigUInt64LE(132000000000000000n + BigInt(id), this.pos);
    this.pos += 8;
    write(this);
    while ((this.pos - start + 4) % 8 !== 0) this.u8(0);
    const size = this.pos - start + 4;
    this.u32(size);
    this.buf.writeUInt32LE(size, start + 4);
    if (this.firstId === 0) this.firstId = id;
    this.lastId = id;
    this.lastRecord = start;
    return start;
  }

  /** The chunk with its header and both checksums filled in; `freeSpace` as a stale header would have it. */
  finish(flags = 0, freeSpace = this.pos): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    for (const [at, n] of [
      [8, this.firstId],
      [16, this.lastId],
      [24, this.firstId],
      [32, this.lastId],
    ] as const)
      b.writeBigUInt64LE(BigInt(n), at);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastRecord, 44);
    b.writeUInt32LE(freeSpace, 48);
    b.writeUInt32LE(flags, 120);
    b.writeUInt32LE(flags & 4 ? 0 : crc32(b.subarray(512, freeSpace)), 52);
    b.writeUInt32LE(flags & 4 ? 0 : crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

export function evtxFile(chunks: Buffer[], flags = 0): Buffer {
  const h = Buffer.alloc(0x1000);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(0x1000, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(flags, 120);
  h.writeUInt32LE(flags & 4 ? 0 : crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}

/** The System section every event template has, with its values as substitutions 0 to 6. */
export function systemSection(): Element {
  return el(
    'System',
    [],
    el('Provider', [['Name', [sub(0)]]]),
    el('EventID', [['Qualifiers', [sub(7, true)]]], sub(1)),
    el('Level', [], sub(2)),
    el('TimeCreated', [['SystemTime', [sub(3)]]]),
    el('EventRecordID', [], sub(4)),
    el('Channel', [], sub(5)),
    el('Computer', [], 'HOST.example.org'),
    el('Security', [['UserID', [sub(6, true)]]]),
  );
}

export interface SystemValues {
  provider: string;
  eventId: number;
  level: number;
  time: Value;
  recordId: number;
  channel: string;
  userId?: string;
}

export function systemValues(s: SystemValues): Value[] {
  return [
    v.str(s.provider),
    v.u16(s.eventId),
    v.u8(s.level),
    s.time,
    v.u64(BigInt(s.recordId)),
    v.str(s.channel),
    s.userId === undefined ? v.null() : v.sid(s.userId),
    v.null(),
  ];
}
