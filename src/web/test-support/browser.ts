// Debian's Chromium driven by playwright-core for the dashboard's browser tests (no browser download).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumMissing, launchChromium } from '../../report/packs/pdf.js';

export { chromiumMissing, launchChromium as launch };

/** Screenshots are kept as test artefacts in a temp folder, never in the checkout. */
export function shotDir(name: string): string {
  return process.env.EXIR_SHOTS ?? mkdtempSync(join(tmpdir(), `exir-web-${name}-`));
}
