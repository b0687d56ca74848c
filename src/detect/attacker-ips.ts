// Published attacker IP addresses (data/indicators/attacker-ips.json), for the indicator rules.
import { readFile } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { STAGES, type Finding, type Stage } from '../core/types.js';

const ATTACKER_IPS_FILE = fileURLToPath(new URL('../../data/indicators/attacker-ips.json', import.meta.url));
export const ATTACKER_IPS_PLACEHOLDER = 'published_attacker_ips';

export interface AttackerIps {
  sources: Record<string, { name: string; url: string; published: string; stage: Stage }>;
  /** One entry per address and source that published it. */
  entries: { ip: string; source: string }[];
}

// IANA's special-purpose address registries (RFC 6890 and its updates): private, shared, loopback,
// link-local, documentation, benchmarking, multicast and reserved space. An address there is never
// an attacker's on the Internet, and matching it would accuse a firm's own machines.
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

export async function loadAttackerIps(file = ATTACKER_IPS_FILE): Promise<AttackerIps> {
  const data = JSON.parse(await readFile(file, 'utf8')) as AttackerIps;
  if (!Array.isArray(data.entries)) throw new Error(`${file}: not an attacker IP list (entries expected)`);
  for (const [id, source] of Object.entries(data.sources)) {
    if (!STAGES.includes(source.stage)) throw new Error(`${file}: source ${id} has no stage (one of ${STAGES.join(', ')})`);
  }
  for (const e of data.entries) {
    if (!data.sources[e.source]) throw new Error(`${file}: ${e.ip} names an unknown source ${e.source}`);
    const family = isIP(e.ip);
    if (family === 0) throw new Error(`${file}: ${JSON.stringify(e.ip)} (source ${e.source}) is not an IP address`);
    if (NOT_PUBLIC.check(e.ip, family === 4 ? 'ipv4' : 'ipv6')) {
      throw new Error(`${file}: ${e.ip} (source ${e.source}) is a private or reserved address, never an attacker's on the Internet`);
    }
  }
  return data;
}

/**
 * Every address once, for the rules' `%published_attacker_ips%`, each IPv4 one also in its
 * IPv4-mapped IPv6 form (`::ffff:5.2.69.14`), the form Windows writes in a Security event's IpAddress.
 */
export function attackerAddresses(list: AttackerIps): string[] {
  const plain = [...new Set(list.entries.map((e) => e.ip))];
  return [...plain, ...plain.filter((ip) => isIP(ip) === 4).map((ip) => `::ffff:${ip}`)];
}

/** An address as the lists write it: the IPv4-mapped form read as its IPv4 address. */
function listed(value: string): string {
  const v = value.trim();
  return /^::ffff:/i.test(v) && isIP(v.slice(7)) === 4 ? v.slice(7) : v;
}

/**
 * Says on each finding of an indicator rule who published its address, and puts it at the highest
 * stage those sources support: the rule matches the union of the lists, the finding must name the
 * list that holds this address. The published address becomes the finding's client address, also
 * where the log holds it in a chain (Rps_Http), in its IPv4-mapped form (Security events) or as the
 * far end of a connection the server made (Sysmon 3's DestinationIp); the log's own value stays in
 * its fields.
 */
export function namePublishers(findings: Finding[], list: AttackerIps): Finding[] {
  const byIp = new Map<string, string[]>();
  for (const e of list.entries) byIp.set(e.ip, [...(byIp.get(e.ip) ?? []), e.source]);
  for (const f of findings) {
    if (!f.indicatorOnly) continue;
    const seen = [f.clientIp ?? '', ...Object.values(f.fields)].flatMap((v) => v.split(/[\s,]+/)).map(listed);
    const ip = seen.find((v) => byIp.has(v));
    if (!ip) continue;
    const sources = byIp.get(ip)!.map((id) => list.sources[id]!);
    f.fields['published by'] = sources.map((s) => `${s.name} (${s.published}, ${s.url})`).join('; ');
    if (f.clientIp !== ip) {
      f.fields['published address'] = ip;
      f.clientIp = ip;
    }
    f.stage = sources.map((s) => s.stage).reduce((a, b) => (STAGES.indexOf(b) > STAGES.indexOf(a) ? b : a));
  }
  return findings;
}
