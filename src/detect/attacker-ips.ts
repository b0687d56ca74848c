// Published attacker IP addresses (data/indicators/attacker-ips.json), for the indicator rules.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ATTACKER_IPS_FILE = fileURLToPath(new URL('../../data/indicators/attacker-ips.json', import.meta.url));
export const ATTACKER_IPS_PLACEHOLDER = 'published_attacker_ips';

export interface AttackerIps {
  sources: Record<string, { name: string; url: string; published: string; stage: string }>;
  entries: { ip: string; source: string }[];
}

export async function loadAttackerIps(file = ATTACKER_IPS_FILE): Promise<AttackerIps> {
  const data = JSON.parse(await readFile(file, 'utf8')) as AttackerIps;
  if (!Array.isArray(data.entries)) throw new Error(`${file}: not an attacker IP list (entries expected)`);
  for (const e of data.entries) {
    if (!data.sources[e.source]) throw new Error(`${file}: ${e.ip} names an unknown source ${e.source}`);
  }
  return data;
}
