// Makes data/baselines/exchange-stock-pages.json from the file baseline beside it.
// Run: node --import tsx src/detect/files/make-stock-pages.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_BASELINE_DIR } from './baseline.js';
import { BASELINE_FILE, type BaselineData } from './baseline-format.js';
import { deriveStockPages, STOCK_PAGES_FILE } from './stock-pages.js';

function main(): void {
  const baseline = JSON.parse(gunzipSync(readFileSync(join(DEFAULT_BASELINE_DIR, BASELINE_FILE))).toString('utf8')) as BaselineData;
  const data = deriveStockPages(baseline);
  const out = join(DEFAULT_BASELINE_DIR, STOCK_PAGES_FILE);
  writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
  process.stderr.write(`${data.pages.length} stock pages for ${data.builds.join(', ')} written to ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) main();
