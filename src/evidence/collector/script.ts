// The collector script a firm's administrator runs on the Exchange server: Windows PowerShell 5.1,
// kept as a file of its own (collector/exir-collect.ps1) so it can be read and reviewed as it is;
// here only the window, the size limit and the version are written into its defaults.

import { readFileSync } from 'node:fs';
import { TOOL } from '../../core/tool.js';

const SCRIPT_FILE = new URL('../../../collector/exir-collect.ps1', import.meta.url);

export interface CollectWindow {
  /** ISO 8601 UTC. */
  from: string;
  to: string;
}

export interface ScriptOptions {
  window: CollectWindow;
  /** Stop adding files past this many MiB; the rest is listed as not collected. */
  maxTotalMb: number;
}

const DAY_MS = 86_400_000;

/** The window `--days N` means: the last N days up to `now`, whole UTC days. */
export function windowForDays(days: number, now: Date): CollectWindow {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { from: new Date(end - (days + 1) * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

/** The script with the options as its parameters' defaults; the administrator can still override them. */
export function collectorScript(options: ScriptOptions): string {
  const { from, to } = options.window;
  if (!(Date.parse(from) < Date.parse(to))) throw new Error(`the window must end after it starts (${from} to ${to})`);
  if (!Number.isInteger(options.maxTotalMb) || options.maxTotalMb < 1) throw new Error('the size limit must be a whole number of MiB');
  const template = readFileSync(SCRIPT_FILE, 'utf8');
  // The values are ours (ISO times, digits, the version), never evidence, but each is checked to be
  // plain before it goes between PowerShell quotes.
  const plain = /^[0-9A-Za-z:.+-]+$/;
  for (const v of [from, to, TOOL.version]) if (!plain.test(v)) throw new Error(`unexpected character in ${v}`);
  return (
    template
      .replace("'{{FROM}}'", `'${from}'`)
      .replace("'{{TO}}'", `'${to}'`)
      .replace('{{MAX_MB}}', String(options.maxTotalMb))
      .replace("'{{VERSION}}'", `'${TOOL.version}'`)
      // Windows PowerShell 5.1 reads a file without a byte-order mark as the system's code page.
      .replace(/\r?\n/g, '\r\n')
  );
}
