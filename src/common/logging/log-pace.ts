/** How often a repeated warning (an outage failing every request, every seal) is written at most. */
const REPEATED_WARNING_INTERVAL_MS = 5_000;

/**
 * Paces a warning that repeats while a condition lasts: one line every few seconds says so, with
 * how many were left out since, instead of one per request or per second.
 */
export class LogPace {
  private last = -Infinity;
  private skipped = 0;

  constructor(
    private readonly intervalMs: number = REPEATED_WARNING_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The number left out since the last line when one is due now; null when this one is left out. */
  due(): number | null {
    const now = this.now();
    if (now - this.last < this.intervalMs) {
      this.skipped += 1;
      return null;
    }
    const skipped = this.skipped;
    this.last = now;
    this.skipped = 0;
    return skipped;
  }
}
