import cliProgress from 'cli-progress';
import type { ScanProgress } from '../scan/run.js';

const MB = 1024 * 1024;

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
        format: 'scanning |{bar}| {percentage}% | {files}/{totalFiles} files | {mb}/{totalMb} MB | eta {eta_formatted}',
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { files: p.files, totalFiles: p.totalFiles, mb: (p.bytes / MB).toFixed(0), totalMb: (p.totalBytes / MB).toFixed(0) };
        if (!started) {
          bar.start(Math.max(1, p.totalBytes), 0, payload);
          started = true;
        }
        bar.update(Math.min(p.bytes, p.totalBytes), payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 5000 && p.files < p.totalFiles) return;
      last = now;
      process.stderr.write(`scanning: ${p.files}/${p.totalFiles} files, ${(p.bytes / MB).toFixed(0)}/${(p.totalBytes / MB).toFixed(0)} MB\n`);
    },
    stop: () => undefined,
  };
}
