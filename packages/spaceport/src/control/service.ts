/**
 * The contract between the control plane and each platform subsystem (gateway, broker, postgres add-ons).
 * The control plane knows services only through this interface: it starts them in order (add-ons, gateway,
 * then dynos), asks each for the env vars it gives to an app's dynos, and lets each add routes to the
 * control API and report status.
 */
import type { ResolvedApp, Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import type { DynoInfo } from '../runtime/dyno.js';
import type { LogSink } from '../runtime/log-line.js';
import type { Supervisor } from '../runtime/supervisor-types.js';
import type { ControlRouter } from './router-types.js';

export interface ServiceContext {
  space: Space;
  state: StateStore;
  log: LogSink;
  /** Spawns and supervises platform child processes (restart with back-off, process groups, reaping). */
  supervisor: Supervisor;
  /** Returns the port recorded under `key` in state, allocating a free loopback port the first time. */
  port(key: string, preferred?: number): Promise<number>;
  /** The space's pre-shared internal key (X-Internal-API-Key). */
  internalApiKey: string;
  /** The control API, for routes such as `GET /v1/topics`. */
  control: ControlRouter;
  /**
   * Current dynos of every app; `onDynos` fires whenever one changes state. A listener that routes traffic by
   * the list (the gateway) returns a promise that resolves once the list is in effect (every worker has it):
   * a web dyno leaving a formation gets its SIGTERM only after that (capped), none when no router is running.
   */
  dynos(): DynoInfo[];
  onDynos(listener: (dynos: DynoInfo[]) => void | Promise<void>): void;
}

export interface PlatformService {
  /** `gateway`, `addons.<name>`. */
  readonly name: string;
  /** Starts the service's processes; resolves once it serves (apps start after). Rejects with a clear reason. */
  start(): Promise<void>;
  /** Stops everything the service started. */
  stop(): Promise<void>;
  /** Env vars given to `app`'s dynos (KAFKA_URL, DATABASE_URL, <APP>_URL...). */
  envFor?(app: ResolvedApp): Record<string, string>;
  /** Resolves once what `app` depends on from this service is ready (a database accepting connections). */
  readyFor?(app: ResolvedApp): Promise<void>;
  /** Applies a changed config without a restart where possible. */
  reconfigure?(space: Space): Promise<void>;
  /** For `spaceport status` and `GET /v1/status`. */
  status(): Record<string, unknown>;
}

/**
 * A subsystem's factory: builds its services for a space (none when the config has nothing for it). An
 * add-on subsystem also builds the service of ONE add-on for a running space (`apply` adding or renaming
 * it), known to the same control API routes as the others, and forgets one that stopped for good.
 */
export interface ServiceFactory {
  (ctx: ServiceContext): PlatformService[];
  /** The service of add-on `name` of `ctx.space`, or undefined when it is not of this factory's type. */
  addon?(ctx: ServiceContext, name: string): PlatformService | undefined;
  /** Drops add-on `name` (already stopped) from the factory's routes. */
  forget?(ctx: ServiceContext, name: string): void;
}
