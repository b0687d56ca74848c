// The lists rules name with Sigma's `expand` modifier, each loaded from the data file that holds it.
import { ATTACKER_IPS_PLACEHOLDER, attackerAddresses, loadAttackerIps } from './attacker-ips.js';
import { loadStockPages, STOCK_PAGES_PLACEHOLDER } from './files/stock-pages.js';
import type { Placeholders } from './sigma/index.js';
import {
  loadWebServerProcesses,
  WEB_SERVER_CHILDREN_PLACEHOLDER,
  WEB_SERVER_PARENTS_PLACEHOLDER,
  WEB_SERVER_SHELLS_PLACEHOLDER,
} from './web-server-processes.js';
import {
  loadWebServerPorts,
  WEB_SERVER_DYNAMIC_FROM_PLACEHOLDER,
  WEB_SERVER_DYNAMIC_TO_PLACEHOLDER,
  WEB_SERVER_PORTS_PLACEHOLDER,
} from './web-server-ports.js';

export async function loadPlaceholders(): Promise<Placeholders> {
  const [stock, ips, web, ports] = await Promise.all([loadStockPages(), loadAttackerIps(), loadWebServerProcesses(), loadWebServerPorts()]);
  return new Map([
    [STOCK_PAGES_PLACEHOLDER, stock.pages],
    [ATTACKER_IPS_PLACEHOLDER, attackerAddresses(ips)],
    [WEB_SERVER_PARENTS_PLACEHOLDER, web.parents.map((e) => e.image)],
    [WEB_SERVER_CHILDREN_PLACEHOLDER, web.legitimateChildren.map((e) => e.image)],
    [WEB_SERVER_SHELLS_PLACEHOLDER, web.shellsAndTools.map((e) => e.image)],
    [WEB_SERVER_PORTS_PLACEHOLDER, ports.ports.map((e) => String(e.port))],
    [WEB_SERVER_DYNAMIC_FROM_PLACEHOLDER, [String(ports.dynamicRange.from)]],
    [WEB_SERVER_DYNAMIC_TO_PLACEHOLDER, [String(ports.dynamicRange.to)]],
  ]);
}
