// A pack draft as PDF: the HTML page printed by headless Chromium (Debian's /usr/bin/chromium).

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { Draft } from '../../regulatory/draft-types.js';
import { renderPackHtml } from './html.js';

export const CHROMIUM = process.env.EXIR_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM} (install Debian's chromium, or set EXIR_CHROMIUM); PDF drafts need it`;
}

/** Debian's Chromium, headless, with nothing of its own reaching the network: the packs print in it and the dashboard is tested in it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Prints one or more drafts, one browser for all of them. */
export async function renderPackPdfs(drafts: Draft[]): Promise<Buffer[]> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const browser = await launchChromium();
  try {
    const out: Buffer[] = [];
    for (const d of drafts) {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // The page is our own markup with the evidence escaped; nothing may be fetched while it renders.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(renderPackHtml(d), { waitUntil: 'load' });
      out.push(
        await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: `<div style="font-size:7pt;width:100%;text-align:center;color:#555">${d.copy === 'send' ? '' : 'DRAFT · '}<span class="title"></span> · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
          margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
        }),
      );
      await page.close();
    }
    return out;
  } finally {
    await browser.close();
  }
}
