import { createRequire } from 'node:module';
import type { ScanProgress } from '../scan/run.js';
import { EtaEstimator, formatEta } from './eta.js';

const MB = 1024 * 1024;

const PASS_NAMES: Record<ScanProgress['pass'], string> = {
  detect: 'reading  ',
  files: 'files    ',
  follow: 'following',
};

/** Where progress goes: stderr, or what a test gives. */
interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** What a queued scan adds: the queue's jobs in hand and waiting to be tried again (BullMQ's counts). */
function queueNote(p: ScanProgress): string {
  return p.queue ? `, ${p.queue.busy} job(s) in hand by workers, ${p.queue.retrying} waiting to be retried` : '';
}

/**
 * Files and bytes on stderr: a bar on a terminal, a line every few seconds in a log, nothing when
 * quiet. Updates are throttled so that reporting never costs scan time.
 */
export function progressReporter(enabled: boolean, out: ProgressSink = process.stderr): { update(p: ScanProgress): void; stop(): void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  if (out.isTTY) {
    // Loaded only for a terminal (it brings string-width and emoji-regex); a log or a pipe gets plain lines.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        stream: out as NodeJS.WritableStream,
        format: '{pass} |{bar}| {percentage}% | {files}/{totalFiles} files | {mb}/{totalMb} MB{queue} | eta {left}',
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
          queue: queueNote(p),
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
      out.write(
        `${PASS_NAMES[p.pass].trim()}: ${p.files}/${p.totalFiles} files, ${(p.bytes / MB).toFixed(0)}/${(p.totalBytes / MB).toFixed(0)} MB${queueNote(p)}\n`,
      );
    },
    stop: () => undefined,
  };
}
