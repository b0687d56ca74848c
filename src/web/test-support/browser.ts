// Debian's Chromium driven by playwright-core for the dashboard's browser tests (no browser download).

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.EXIR_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM} (install Debian's chromium, or set EXIR_CHROMIUM)`;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Screenshots are kept as test artefacts in a temp folder, never in the checkout. */
export function shotDir(name: string): string {
  return process.env.EXIR_SHOTS ?? mkdtempSync(join(tmpdir(), `exir-web-${name}-`));
}
