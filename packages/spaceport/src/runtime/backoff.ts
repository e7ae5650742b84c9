/**
 * Crash back-off as on Heroku: the first restart is immediate, then 1s, 2s, 4s... up to a cap. A process that
 * stayed up for `resetAfterMs` starts over from an immediate restart.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

export class Backoff {
  private crashes = 0;

  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {}

  /** Delay before the next restart, given how long the process ran. */
  next(ranMs: number): number {
    if (ranMs >= this.opts.resetAfterMs) this.crashes = 0;
    this.crashes += 1;
    if (this.crashes === 1) return 0;
    return Math.min(this.opts.baseMs * 2 ** (this.crashes - 2), this.opts.maxMs);
  }

  reset(): void {
    this.crashes = 0;
  }
}
