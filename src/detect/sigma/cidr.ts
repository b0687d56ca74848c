// The `cidr` modifier: IPv4 and IPv6 networks. IPv4 addresses, the common case in web logs, are tested without allocating.

import { RuleProblem } from './problem.js';

/** Scratch space for the address under test; match() runs to completion, so one buffer serves every call. */
const scratch = new Uint16Array(8);

function parseV4(s: string, out: Uint16Array, at: number): boolean {
  let part = 0;
  let digits = 0;
  let value = 0;
  let hi = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      if (part % 2 === 0) hi = value;
      else out[at + (part >> 1)] = (hi << 8) | value;
      part++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

/** Fills `out` with the eight groups of an IPv6 address (a trailing dotted IPv4 allowed; a `%zone` ignored). */
function parseV6(input: string, out: Uint16Array): boolean {
  const zone = input.indexOf('%');
  const s = zone >= 0 ? input.slice(0, zone) : input;
  // A second '::' (or ':::') leaves an empty group in the split below, which the group pattern refuses.
  const gap = s.indexOf('::');
  const headText = gap >= 0 ? s.slice(0, gap) : s;
  const tailText = gap >= 0 ? s.slice(gap + 2) : '';
  const head = headText === '' ? [] : headText.split(':');
  const tail = tailText === '' ? [] : tailText.split(':');
  const groups: number[] = [];
  const all = [...head, ...tail];
  for (let i = 0; i < all.length; i++) {
    const g = all[i] as string;
    if (i === all.length - 1 && g.includes('.')) {
      const pair = new Uint16Array(2);
      if (!parseV4(g, pair, 0)) return false;
      groups.push(pair[0] as number, pair[1] as number);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
    groups.push(parseInt(g, 16));
  }
  const headCount = head.length;
  const tailCount = groups.length - headCount;
  if (gap < 0) {
    if (groups.length !== 8) return false;
  } else if (groups.length > 7) {
    return false;
  }
  out.fill(0);
  for (let i = 0; i < headCount; i++) out[i] = groups[i] as number;
  for (let i = 0; i < tailCount; i++) out[8 - tailCount + i] = groups[headCount + i] as number;
  return true;
}

export interface Cidr {
  readonly test: (value: string) => boolean;
}

/** Parses `a.b.c.d/n` or `x:y::z/n` (no prefix = one address); host bits in the network are ignored. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addr = (slash >= 0 ? text.slice(0, slash) : text).trim();
  const prefixText = slash >= 0 ? text.slice(slash + 1).trim() : undefined;
  const isV4 = !addr.includes(':');
  const max = isV4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new RuleProblem(`bad CIDR prefix in '${text}'`);
  const net = new Uint16Array(8);
  if (isV4 ? !parseV4(addr, net, 6) : !parseV6(addr, net)) throw new RuleProblem(`bad CIDR address in '${text}'`);
  if (isV4) {
    const want = ((net[6] as number) * 65536 + (net[7] as number)) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const base = (want & mask) >>> 0;
    return {
      test: (value) => {
        const s = value.trim();
        let ok: boolean;
        if (s.includes(':')) {
          // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
          ok = parseV6(s, scratch) && isV4Mapped(scratch);
        } else {
          ok = parseV4(s, scratch, 6);
        }
        if (!ok) return false;
        const ip = ((scratch[6] as number) * 65536 + (scratch[7] as number)) >>> 0;
        return (ip & mask) >>> 0 === base;
      },
    };
  }
  const fullGroups = prefix >> 4;
  const restBits = prefix & 15;
  const restMask = restBits === 0 ? 0 : (0xffff << (16 - restBits)) & 0xffff;
  return {
    test: (value) => {
      const s = value.trim();
      if (!s.includes(':') || !parseV6(s, scratch)) return false;
      for (let i = 0; i < fullGroups; i++) if (scratch[i] !== net[i]) return false;
      if (restMask === 0) return true;
      return (((scratch[fullGroups] as number) ^ (net[fullGroups] as number)) & restMask) === 0;
    },
  };
}

function isV4Mapped(g: Uint16Array): boolean {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
}
