// The lists rules name with Sigma's `expand` modifier, each loaded from the data file that holds it.
import { loadStockPages, STOCK_PAGES_PLACEHOLDER } from './files/stock-pages.js';
import type { Placeholders } from './sigma/index.js';

export async function loadPlaceholders(): Promise<Placeholders> {
  const stock = await loadStockPages();
  return new Map([[STOCK_PAGES_PLACEHOLDER, stock.pages]]);
}
