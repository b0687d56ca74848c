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

/** Every address once, for the rules' `%published_attacker_ips%`. */
export function attackerAddresses(list: AttackerIps): string[] {
  return [...new Set(list.entries.map((e) => e.ip))];
}

/**
 * Says on each finding of an indicator rule who published its client address, and puts it at the
 * highest stage those sources support: the rule matches the union of the lists, the finding must
 * name the list that holds this address.
 */
export function namePublishers(findings: Finding[], list: AttackerIps): Finding[] {
  const byIp = new Map<string, string[]>();
  for (const e of list.entries) byIp.set(e.ip, [...(byIp.get(e.ip) ?? []), e.source]);
  for (const f of findings) {
    const ids = f.indicatorOnly && f.clientIp ? byIp.get(f.clientIp) : undefined;
    if (!ids) continue;
    const sources = ids.map((id) => list.sources[id]!);
    f.fields['published by'] = sources.map((s) => `${s.name} (${s.published}, ${s.url})`).join('; ');
    f.stage = sources.map((s) => s.stage).reduce((a, b) => (STAGES.indexOf(b) > STAGES.indexOf(a) ? b : a));
  }
  return findings;
}
