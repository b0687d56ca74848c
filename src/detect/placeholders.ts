// The lists rules name with Sigma's `expand` modifier, each loaded from the data file that holds it.
import { ATTACKER_IPS_PLACEHOLDER, loadAttackerIps } from './attacker-ips.js';
import { loadStockPages, STOCK_PAGES_PLACEHOLDER } from './files/stock-pages.js';
import type { Placeholders } from './sigma/index.js';

export async function loadPlaceholders(): Promise<Placeholders> {
  const [stock, ips] = await Promise.all([loadStockPages(), loadAttackerIps()]);
  return new Map([
    [STOCK_PAGES_PLACEHOLDER, stock.pages],
    [ATTACKER_IPS_PLACEHOLDER, ips.entries.map((e) => e.ip)],
  ]);
}
