// The pages (.aspx .ashx .asmx) Exchange ships in its web folders, as URL paths: a request answered
// 200 by any other page in those folders is a page someone added. Derived from the known-good file
// baseline (data/baselines/exchange-web-files.json.gz), so both say the same thing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BASELINE_DIR } from './baseline.js';
import { BASELINE_FILE, type BaselineData, type BaselineSource } from './baseline-format.js';

export const STOCK_PAGES_FILE = 'exchange-stock-pages.json';

/** The placeholder rules use for the list (`cs-uri-stem|expand: '%exchange_stock_pages%'`). */
export const STOCK_PAGES_PLACEHOLDER = 'exchange_stock_pages';

const PAGE = /\.(aspx|ashx|asmx)$/i;

/** Both the front end (HttpProxy) and the back end (ClientAccess) serve their folders at the same URL path. */
const WEB_ROOT = /^\\(frontend\\httpproxy|clientaccess)\\/i;

export interface StockPagesData {
  about: string;
  derivedFrom: { file: string; extracted: string; source: BaselineSource };
  /** Builds whose pages are listed; a page new in a later build is not in the list. */
  builds: string[];
  scope: string;
  /** Lower-case URL paths. */
  pages: string[];
}

export function deriveStockPages(baseline: BaselineData): StockPagesData {
  const pages = new Set<string>();
  for (const [path] of baseline.files) {
    if (!PAGE.test(path) || !WEB_ROOT.test(path)) continue;
    const below = path.replace(WEB_ROOT, '').toLowerCase().split('\\');
    // A build-numbered folder holds scripts and images; a page there is no build's page.
    if (below.includes('version')) continue;
    pages.add(`/${below.join('/')}`);
  }
  return {
    about:
      "The .aspx/.ashx/.asmx pages Microsoft ships in Exchange's web folders, as the URL paths IIS and the HttpProxy logs write (lower case). A facts-only extract of the file baseline; no code.",
    derivedFrom: { file: `data/baselines/${BASELINE_FILE}`, extracted: baseline.extracted, source: baseline.source },
    builds: baseline.builds,
    scope:
      'every page under \\FrontEnd\\HttpProxy\\ and \\ClientAccess\\ in any build held, path below that folder with \\ as /; pages in build-numbered folders left out (none ships there)',
    pages: [...pages].sort(),
  };
}

export async function loadStockPages(dir: string = DEFAULT_BASELINE_DIR): Promise<StockPagesData> {
  const file = join(dir, STOCK_PAGES_FILE);
  const data = JSON.parse(await readFile(file, 'utf8')) as StockPagesData;
  if (!Array.isArray(data.pages) || !Array.isArray(data.builds)) throw new Error(`${file}: not a stock pages file (pages and builds expected)`);
  return data;
}
