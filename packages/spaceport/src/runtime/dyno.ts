/** What the runtime reports about a dyno; the gateway routes to dynos that are `up`. */
export type DynoState = 'starting' | 'up' | 'crashed' | 'stopping' | 'down';

export interface DynoInfo {
  app: string;
  /** `web.1`, `worker.2`, `run.1`. */
  dyno: string;
  type: string;
  state: DynoState;
  pid: number | null;
  /** The PORT the dyno was given (every dyno gets one; web dynos must bind it). */
  port: number;
  /** Release the dyno runs, such as `v3`. */
  release: string;
  restarts: number;
  /** ISO time of the last state change. */
  since: string;
  /**
   * Set on the old instance of a dyno during a rolling restart: it serves until its replacement (same name,
   * listed before it) is up, then stops. Absent otherwise.
   */
  outgoing?: true;
}
