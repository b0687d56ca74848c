// The TCP ports Exchange's web-server processes connect to in their own work
// (data/exchange/web-server-ports.json), for the rule that treats a connection to any other as a tunnel.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const WEB_SERVER_PORTS_FILE = fileURLToPath(new URL('../../data/exchange/web-server-ports.json', import.meta.url));
export const WEB_SERVER_PORTS_PLACEHOLDER = 'exchange_web_server_ports';
export const WEB_SERVER_DYNAMIC_FROM_PLACEHOLDER = 'exchange_web_server_dynamic_ports_from';
export const WEB_SERVER_DYNAMIC_TO_PLACEHOLDER = 'exchange_web_server_dynamic_ports_to';

interface PortEntry {
  port: number;
  what: string;
  source: string;
}

export interface WebServerPorts {
  sources: Record<string, { name: string; url: string }>;
  ports: PortEntry[];
  /** RPC's dynamic ports: one range, since a rule can pair one lower and one upper bound. */
  dynamicRange: { from: number; to: number; what: string; source: string };
}

const isPort = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 65535;

export async function loadWebServerPorts(file = WEB_SERVER_PORTS_FILE): Promise<WebServerPorts> {
  const data = JSON.parse(await readFile(file, 'utf8')) as WebServerPorts;
  if (!Array.isArray(data.ports) || typeof data.dynamicRange !== 'object' || data.dynamicRange === null) {
    throw new Error(`${file}: not a web-server port list (ports and dynamicRange expected)`);
  }
  const range = data.dynamicRange;
  if (!isPort(range.from) || !isPort(range.to) || range.from > range.to) throw new Error(`${file}: dynamicRange ${range.from}-${range.to} is not a port range`);
  for (const e of [...data.ports, range]) {
    if (!data.sources?.[e.source]) throw new Error(`${file}: ${e.what} names an unknown source ${e.source}`);
  }
  for (const e of data.ports) {
    if (!isPort(e.port)) throw new Error(`${file}: ${String(e.port)} is not a port`);
    // A listed port inside the range would say nothing the range does not: a sign of a mistyped port.
    if (e.port >= range.from && e.port <= range.to) throw new Error(`${file}: ${e.port} is inside the dynamic range`);
  }
  return data;
}
