/**
 * How providers reach the platform: the control API (unix socket) and the gateway's admin API (loopback,
 * token). Both are plain JSON-over-HTTP calls; a provider never imports another subsystem's internals.
 */
export type Call = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export interface Clients {
  control: Call;
  /** The gateway's admin API; absent when the space has no gateway running. */
  admin?: Call;
  /** The space's internal key (from state): external add-on URLs are compared by an HMAC keyed by it. */
  urlKey?: string;
}

/** One live snapshot of the runtime's apps per plan, shared by the app, config and formation providers. */
export interface LiveApp {
  /** Attributes as the app provider compares them. */
  app: Record<string, unknown>;
  /** The config vars of the running release. */
  config: Record<string, string>;
  /** Process type → dyno count. */
  scale: Record<string, number>;
}

export class LiveApps {
  private pending: Promise<Record<string, LiveApp>> | undefined;
  constructor(private readonly control: Call) {}
  get(): Promise<Record<string, LiveApp>> {
    this.pending ??= this.control<{ apps: Record<string, LiveApp> }>('GET', '/v1/lifecycle/apps').then((r) => r.apps);
    return this.pending;
  }
  /** Forget the snapshot (after apply, before the next plan). */
  reset(): void {
    this.pending = undefined;
  }
}

export const seg = (s: string) => encodeURIComponent(s);
