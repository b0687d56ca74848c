import { safeText } from '../core/terminal-text.js';
import type { Warning } from '../core/types.js';

const SHOWN = 40;

/** Warnings to stderr, each with its place; a long list is cut with a count, never silently. */
export function printWarnings(warnings: Warning[], where: 'json' | 'none'): void {
  for (const w of warnings.slice(0, SHOWN)) {
    process.stderr.write(`warning: ${w.where ? `${safeText(w.where)}: ` : ''}${safeText(w.message)}\n`);
  }
  if (warnings.length > SHOWN) {
    const rest = warnings.length - SHOWN;
    process.stderr.write(
      `warning: ${rest} more warning(s) not shown${where === 'json' ? '; every one is in the JSON output' : '; use --json to see them all'}\n`,
    );
  }
}
