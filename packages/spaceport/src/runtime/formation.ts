/**
 * An app's formation: how many dynos of each process type run, under which release. Operations on one app
 * run one at a time (scale, restart, a new release); a rolling restart boots a web dyno's replacement and
 * stops the old instance only once the new one is up (or has failed to come up) and the gateway no longer routes to it.
 */
import type { ResolvedApp } from '../config/load.js';
import type { LogSink } from './log-line.js';
import type { ProcessSupervisor } from './supervisor.js';
import { DynoProcess } from './dyno-process.js';
import { freePort } from '../control/ports.js';

export interface FormationDeps {
  supervisor: ProcessSupervisor;
  log: LogSink;
  /** The full env of a dyno: config vars, services' vars, PORT, DYNO, APP_NAME, INTERNAL_API_KEY. */
  dynoEnv(app: ResolvedApp, dyno: string, port: number, config: Record<string, string>): Record<string, string>;
  changed(): void;
  /**
   * Resolves once every router (the gateway's workers) has the dyno list last announced by `changed`; at once
   * when none runs. Never rejects; the formation caps the wait at ROUTED_CAP_MS.
   */
  routed(): Promise<void>;
}

/**
 * The longest a web dyno leaving a running formation (rolled, or scaled away) stays `stopping` waiting for the
 * gateway to confirm it has stopped routing to it (see FormationDeps.routed); past it, the SIGTERM goes anyway.
 * Without any wait, at a load average of ~20 a rolling restart lost one request in ~1,400 (H13: the old dyno
 * closed its idle connections under requests the gateway had just sent on them).
 */
export const ROUTED_CAP_MS = 5000;

export interface RunningRelease {
  version: number;
  config: Record<string, string>;
  processes: Record<string, string>;
  /** A release that runs a kept build (rollback) runs from its directory instead of the app's root. */
  build?: { hash: string; dir?: string };
}

export class AppFormation {
  /** Current instance of each dyno name. */
  readonly dynos = new Map<string, DynoProcess>();
  /** Old instances still stopping during a rolling restart. */
  private readonly retiring = new Set<DynoProcess>();
  readonly scale: Record<string, number>;
  release: RunningRelease | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by stop(): nothing starts afterwards (a deploy still in flight when the space stops). */
  private closed = false;

  constructor(
    private readonly deps: FormationDeps,
    public app: ResolvedApp,
  ) {
    this.scale = { ...app.scale };
  }

  /** Takes a changed definition of the app (apply); its dynos pick it up when they are next replaced. */
  setApp(app: ResolvedApp): void {
    this.app = app;
  }

  all(): DynoProcess[] {
    return [...this.dynos.values(), ...this.retiring];
  }

  /** Boots the dynos of `scale` under a release; resolves with the new dynos (not waiting for up). */
  start(release: RunningRelease): Promise<DynoProcess[]> {
    return this.exclusive(async () => {
      this.release = release;
      return this.converge();
    });
  }

  /** Sets counts per process type and converges; resolves with the dynos it started. */
  setScale(counts: Record<string, number>): Promise<DynoProcess[]> {
    return this.exclusive(async () => {
      Object.assign(this.scale, counts);
      return this.release ? this.converge() : [];
    });
  }

  /**
   * Replaces dynos with new instances (all, those of a type like `web`, or one like `web.2`), under `release`
   * when given (a new release resets crash back-off since every instance is new).
   */
  roll(release?: RunningRelease, only?: string): Promise<string[]> {
    return this.exclusive(async () => {
      if (release) this.release = release;
      const targets = [...this.dynos.values()].filter((d) => !only || d.spec.dyno === only || d.spec.type === only);
      await Promise.all(targets.map((d) => this.replace(d)));
      return targets.map((d) => d.spec.dyno);
    });
  }

  /**
   * `ps:stop`: stops dynos (one like `web.2`, or every one of a type) with the same drain as a scale-down, then
   * converges: the scale still asks for them, so new instances start (Heroku's dyno manager restarts a stopped
   * dyno of a scaled process type). Resolves with the names stopped, once they run again.
   */
  stopDynos(only: string): Promise<string[]> {
    return this.exclusive(async () => {
      const targets = [...this.dynos.values()].filter((d) => d.spec.dyno === only || d.spec.type === only);
      await Promise.all(
        targets.map(async (d) => {
          this.dynos.delete(d.spec.dyno);
          this.retiring.add(d);
          await d.stop(d.spec.type === 'web' ? () => this.routed(d) : undefined);
          this.retiring.delete(d);
        }),
      );
      if (targets.length) await this.converge();
      return targets.map((d) => d.spec.dyno);
    });
  }

  /** Stops every dyno of the app. */
  stop(): Promise<void> {
    this.closed = true;
    return this.exclusive(async () => {
      await Promise.all(this.all().map((d) => d.stop()));
      this.dynos.clear();
      this.retiring.clear();
      this.deps.changed();
    });
  }

  private async converge(): Promise<DynoProcess[]> {
    const started: DynoProcess[] = [];
    if (this.closed) return started;
    const stops: Promise<void>[] = [];
    for (const [type, want] of Object.entries(this.scale)) {
      if (!this.release?.processes[type] || type === 'release') continue;
      for (let n = 1; n <= want; n++) {
        if (!this.dynos.has(`${type}.${n}`)) started.push(await this.spawn(type, n));
      }
      for (const [name, d] of this.dynos) {
        if (d.spec.type === type && Number(name.slice(type.length + 1)) > want) {
          this.dynos.delete(name);
          this.retiring.add(d);
          stops.push(d.stop(type === 'web' ? () => this.routed(d) : undefined).then(() => void this.retiring.delete(d)));
        }
      }
    }
    this.deps.changed();
    await Promise.all(stops);
    this.deps.changed();
    return started;
  }

  private async replace(old: DynoProcess): Promise<void> {
    if (this.closed) return;
    const { type, dyno } = old.spec;
    const n = Number(dyno.slice(type.length + 1));
    this.retiring.add(old);
    this.dynos.delete(dyno);
    old.outgoing = true;
    if (type === 'web') {
      const fresh = await this.spawn(type, n);
      await fresh.settled();
      await old.stop(() => this.routed(old));
    } else {
      await old.stop();
      await this.spawn(type, n);
    }
    this.retiring.delete(old);
    this.deps.changed();
  }

  /** Waits (capped) until the gateway routes by the dyno list that marks `d` stopping; says so when it did not confirm. */
  private async routed(d: DynoProcess): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<false>((r) => (timer = setTimeout(() => r(false), ROUTED_CAP_MS)));
    const confirmed = await Promise.race([this.deps.routed().then(() => true), cap]);
    clearTimeout(timer);
    if (!confirmed) {
      const message = `The gateway did not confirm within ${ROUTED_CAP_MS / 1000} s that it stopped routing to this instance; stopping it anyway`;
      this.deps.log.write({ source: 'spaceport', app: d.spec.app, dyno: d.spec.dyno, message });
    }
  }

  private async spawn(type: string, n: number): Promise<DynoProcess> {
    const rel = this.release!;
    const name = `${type}.${n}`;
    const port = await freePort();
    const d = new DynoProcess(
      {
        app: this.app.name,
        dyno: name,
        type,
        command: rel.processes[type]!,
        cwd: rel.build?.dir ?? this.app.root,
        port,
        release: rel.version,
        env: this.deps.dynoEnv(this.app, name, port, rel.config),
        bootTimeoutMs: this.app.boot_timeout,
        stopTimeoutMs: this.app.stop_timeout,
      },
      this.deps.supervisor,
      this.deps.log,
      () => this.deps.changed(),
    );
    this.dynos.set(name, d);
    this.deps.changed();
    return d;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
