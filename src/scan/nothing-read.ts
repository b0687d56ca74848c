import type { ScanResult } from '../core/types.js';

/**
 * Why a scan's "nothing found" would mean nothing: no file at all, no log exir reads, or an archive
 * refused whole. A script must not take any of these for a clean server. Undefined when the scan
 * read something it could judge.
 */
export function nothingRead(result: ScanResult): string | undefined {
  const refused = result.warnings.filter((w) => w.message.startsWith('archive refused'));
  if (refused.length > 0) {
    return `${refused.length} archive(s) refused whole (${refused[0]?.where ?? ''}: ${refused[0]?.message ?? ''}); their content was not scanned`;
  }
  if (result.evidence.length === 0) return 'the input holds no file to read';
  const logs = result.evidence.filter((e) => e.kind !== 'unknown');
  if (logs.length === 0 && result.findings.length === 0) {
    return `none of the ${result.evidence.length} file(s) read is a log exir reads, so no server can be judged`;
  }
  return undefined;
}
