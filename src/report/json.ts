import type { ScanResult } from '../core/types.js';

/** The scan result as JSON: the contract other tools read (README, "JSON format"). */
export function toJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
