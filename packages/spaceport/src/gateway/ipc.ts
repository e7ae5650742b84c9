/** Messages between the control plane, the gateway parent and its workers (all JSON over IPC). */
import type { DynoTarget, GatewayEntities, GatewayRuntimeConfig } from './entities.js';
import type { MetricsSnapshot } from './metrics.js';
import type { LogBatch } from './proxy/router-log.js';
import type { CounterDelta, CounterTotal } from './shared-counters.js';

/** To the gateway (parent or a worker). */
export type ToGateway =
  | { type: 'config'; config: GatewayRuntimeConfig }
  /** A dyno table; with `seq` (increasing), the receiver acknowledges it with `dynos-applied` once in effect. */
  | { type: 'dynos'; dynos: DynoTarget[]; seq?: number }
  | { type: 'metrics-req'; id: number }
  | { type: 'counter-totals'; totals: CounterTotal[] }
  | { type: 'shutdown' };

/** From a worker. */
export type FromWorker =
  | LogBatch
  | { type: 'hello' }
  /** This worker routes by the dyno table `seq` (and every earlier one). */
  | { type: 'dynos-applied'; seq: number }
  | { type: 'listening'; port: number; internal: number[] }
  | { type: 'swapped'; ms: number; cpuMs: number; routes: number; errors: string[] }
  | { type: 'metrics'; id: number; snapshot: MetricsSnapshot }
  | { type: 'counters'; deltas: CounterDelta[] }
  | { type: 'warn'; message: string };

/** From the gateway parent to the control plane. */
export type FromGateway =
  | LogBatch
  | { type: 'hello' }
  | { type: 'ready'; port: number; admin?: number; workers: number }
  /** Every worker routes by the dyno table `seq` (and every earlier one). */
  | { type: 'dynos-applied'; seq: number }
  | { type: 'swapped'; ms: number; cpuMs: number; routes: number; errors: string[] }
  | { type: 'entities'; entities: GatewayEntities }
  | { type: 'warn'; message: string };
