// The progress bar's time left. A bundle mixes many small logs (read fast, per file) with a few
// large ones, and evtx (read slower per byte), so the rate of the last second swings widely; the
// estimate uses bytes (what the bar shows) and a moving average of the rate over the last
// half-minute or so, so it drifts rather than jumps.

/** Seconds over which the rate is averaged: a sample this old weighs 1/e of a new one. */
const WINDOW_S = 20;

export class EtaEstimator {
  private weighted = 0;
  private weights = 0;
  private last: { at: number; bytes: number } | undefined;

  /** Feeds the bytes done at time `at` (ms); returns the seconds left, or undefined while unknown. */
  update(at: number, bytes: number, totalBytes: number): number | undefined {
    if (this.last === undefined || bytes < this.last.bytes) {
      this.last = { at, bytes };
      return undefined;
    }
    const dt = (at - this.last.at) / 1000;
    if (dt >= 0.25) {
      const sample = (bytes - this.last.bytes) / dt;
      // Weighted by the time each sample covers, so uneven update intervals do not skew it.
      // Divided by the weights so far, so the first seconds are their plain average rather than the first sample's.
      const keep = Math.exp(-dt / WINDOW_S);
      this.weighted = keep * this.weighted + (1 - keep) * sample;
      this.weights = keep * this.weights + (1 - keep);
      this.last = { at, bytes };
    }
    const rate = this.weights > 0 ? this.weighted / this.weights : 0;
    if (rate <= 0) return undefined;
    return Math.max(0, (totalBytes - bytes) / rate);
  }
}

/** `1m 05s`, `42s`, or `…` while unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
