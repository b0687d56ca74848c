import { safeJson } from '../core/terminal-text.js';
import type { ScanResult } from '../core/types.js';

/** The scan result as JSON: the contract other tools read (README, "JSON format"). */
export function toJson(result: ScanResult): string {
  // Valid JSON either way; C1 controls and bidi overrides escaped so a terminal shows them inert.
  return `${safeJson(result)}\n`;
}
