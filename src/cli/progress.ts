import cliProgress from 'cli-progress';
import type { ScanProgress } from '../scan/run.js';
import { EtaEstimator, formatEta } from './eta.js';

const MB = 1024 * 1024;

const PASS_NAMES: Record<ScanProgress['pass'], string> = {
  detect: 'reading  ',
  files: 'files    ',
  follow: 'following',
};

/**
 * Files and bytes on stderr: a bar on a terminal, a line every few seconds in a log, nothing when
 * quiet. Updates are throttled so that reporting never costs scan time.
 */
export function progressReporter(enabled: boolean): { update(p: ScanProgress): void; stop(): void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: '{pass} |{bar}| {percentage}% | {files}/{totalFiles} files | {mb}/{totalMb} MB | eta {left}',
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let pass: string | undefined;
    let eta = new EtaEstimator();
    return {
      update(p) {
        // Each pass over the evidence has its own bar and its own rate: reading, checking files, following the attackers.
        if (pass !== p.pass) eta = new EtaEstimator();
        const left = formatEta(eta.update(Date.now(), p.bytes, p.totalBytes));
        const payload = {
          pass: PASS_NAMES[p.pass],
          files: p.files,
          totalFiles: p.totalFiles,
          mb: (p.bytes / MB).toFixed(0),
          totalMb: (p.totalBytes / MB).toFixed(0),
          left,
        };
        if (pass !== p.pass) {
          if (pass !== undefined) bar.stop();
          bar.start(Math.max(1, p.totalBytes), 0, payload);
          pass = p.pass;
        }
        bar.update(Math.min(p.bytes, p.totalBytes), payload);
      },
      stop() {
        if (pass !== undefined) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 5000 && p.files < p.totalFiles) return;
      last = now;
      process.stderr.write(
        `${PASS_NAMES[p.pass].trim()}: ${p.files}/${p.totalFiles} files, ${(p.bytes / MB).toFixed(0)}/${(p.totalBytes / MB).toFixed(0)} MB\n`,
      );
    },
    stop: () => undefined,
  };
}
