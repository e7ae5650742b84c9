/**
 * The control plane of a running space: reaps what a killed predecessor left, starts the platform services
 * in the order of the factory list, deploys every app (build, release phase, dynos), serves the control API
 * on `.spaceport/control.sock`, and on stop takes every child with it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Space } from '../config/load.js';
import type { LogLine } from '../runtime/log-line.js';
import { StateStore } from '../state/store.js';
import { LogHub } from '../runtime/logs/log-hub.js';
import { ProcessSupervisor } from '../runtime/supervisor.js';
import { reapLeftovers } from '../runtime/process-recorder.js';
import { isRunning, readStartTicks } from '../runtime/proc-stat.js';
import { Runtime } from '../runtime/runtime.js';
import { Router } from './router.js';
import { listenControl } from './server.js';
import { serviceContext } from './context.js';
import { serviceFactories } from './services.js';
import { quotedOutput } from './last-output.js';
import type { PlatformService, ServiceContext } from './service.js';
import { registerRoutes } from './routes/index.js';

export type StartResult = { ok: true } | { ok: false; reason: string; running: boolean };

export class ControlPlane {
  readonly state: StateStore;
  readonly logs: LogHub;
  readonly supervisor: ProcessSupervisor;
  readonly router = new Router();
  runtime!: Runtime;
  services: PlatformService[] = [];
  phase: 'starting' | 'running' | 'failed' | 'stopping' = 'starting';
  error: string | undefined;
  readonly startedAt = new Date();
  private server: Server | undefined;
  private stopping: Promise<void> | undefined;
  /** True once this process recorded itself as the space's control plane. */
  private claimed = false;
  /** The ServiceContext of a service built for `space` (an add-on `apply` starts in the running space). */
  contextFor: (space: Space) => ServiceContext = () => {
    throw new Error('the control plane has not started');
  };
  /** Called once the control plane has stopped (the daemon exits). */
  onStopped: () => void = () => {};

  constructor(
    readonly space: Space,
    echo?: (l: LogLine) => void,
  ) {
    mkdirSync(space.stateDir, { recursive: true, mode: 0o700 });
    // state.json holds the space's secrets (database passwords, the internal key): keep the whole directory out
    // of git even where the project's own .gitignore does not name it.
    const ignore = join(space.stateDir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, "# Spaceport's state: secrets, data, logs. Never commit it.\n*\n");
    this.state = new StateStore(space.stateDir);
    this.logs = new LogHub({ file: join(space.stateDir, 'logs', 'space.log'), echo });
    this.supervisor = new ProcessSupervisor({ log: this.logs, state: this.state });
  }

  get socketPath(): string {
    return join(this.space.stateDir, 'control.sock');
  }

  async start(): Promise<StartResult> {
    const { state, space } = this;
    // Check and claim in one locked update, so two `up` at once cannot both start a control plane.
    const s = state.update((st) => {
      const prev = st.controlPlane;
      if (prev && prev.pid !== process.pid && isRunning(prev)) throw new Error(`the space is already running (control plane pid ${prev.pid}); \`spaceport apply\` makes it match spaceport.yaml, \`spaceport down\` stops it`);
      st.controlPlane = { pid: process.pid, startTicks: readStartTicks(process.pid) ?? 0, name: 'control-plane' };
      st.internalApiKey ??= randomBytes(32).toString('hex');
    });
    this.claimed = true;
    const reaped = await reapLeftovers(state);
    if (reaped.length) this.say(`Reaped ${reaped.length} process(es) left by a control plane that did not stop: ${reaped.join(', ')}`);
    this.contextFor = (sp) => serviceContext({ space: sp, state, log: this.logs, supervisor: this.supervisor, router: this.router, internalApiKey: s.internalApiKey!, runtime: () => this.runtime });
    const ctx = this.contextFor(space);
    this.runtime = new Runtime({
      space,
      state,
      log: this.logs,
      supervisor: this.supervisor,
      internalApiKey: s.internalApiKey!,
      servicesEnv: (app) => Object.assign({}, ...this.services.map((x) => x.envFor?.(app) ?? {})) as Record<string, string>,
      servicesReady: async (app) => void (await Promise.all(this.services.map((x) => x.readyFor?.(app)))),
    });
    registerRoutes(this.router, this);
    this.server = await listenControl(this.router, this.socketPath);
    this.say(`Control plane of space ${space.config.name} started (pid ${process.pid})`);
    this.services = serviceFactories.flatMap((f) => f(ctx));
    for (const svc of this.services) {
      if (this.stopping) return this.interrupted();
      try {
        await svc.start();
      } catch (err) {
        if (this.stopping) return this.interrupted();
        return this.fail(`${svc.name} failed to start: ${(err as Error).message}`, false);
      }
    }
    const apps = Object.values(space.config.apps);
    const results = await Promise.all(apps.map((a) => this.runtime.deploy(a).catch((err: Error) => ({ ok: false as const, reason: `${a.name}: ${err.message}` }))));
    // A build or release killed by Ctrl-C / down fails, but that is the stop, not an error of the app.
    if (this.stopping) return this.interrupted();
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) return this.fail(this.withLastOutput(failed.reason), false);
    const crashed = await this.firstBoot(results);
    if (crashed) return this.fail(crashed, true);
    this.phase = 'running';
    return { ok: true };
  }

  /** Waits until every new dyno is up or has crashed once; returns why the first one crashed. */
  private async firstBoot(results: Awaited<ReturnType<Runtime['deploy']>>[]): Promise<string | undefined> {
    const dynos = results.flatMap((r) => (r.ok ? r.dynos : []));
    const outcomes = await Promise.all(dynos.map((d) => d.settled()));
    const i = outcomes.indexOf('crashed');
    if (i === -1) return undefined;
    const d = dynos[i]!;
    return this.withLastOutput(`${d.spec.app} ${d.spec.dyno} crashed: ${d.lastError ?? 'unknown'}; see \`spaceport logs -a ${d.spec.app} -d ${d.spec.dyno}\``);
  }

  /**
   * A failure that points at `spaceport logs -a APP -d DYNO` (a crash, a failed build or release phase) gets
   * that process's last lines of output quoted: its own last words (a missing variable, `tsc: not found`)
   * usually say why, and the first message then does.
   */
  withLastOutput(reason: string): string {
    const m = /see `spaceport logs -a (\S+) -d (\S+)`/.exec(reason);
    if (!m) return reason;
    let recent = this.logs.tail(60, { app: m[1]!, dyno: m[2]! });
    // A build or release phase runs once per release: quote this run's output, not the previous release's too.
    // (A crashed dyno keeps its earlier runs: its restart may already have begun and said nothing yet.)
    if (m[2] === 'release' || m[2] === 'build') {
      let start = recent.length;
      while (start > 0 && !(recent[start - 1]!.source === 'spaceport' && recent[start - 1]!.message.startsWith('Starting process'))) start--;
      recent = recent.slice(start);
    }
    const lines = recent.filter((l) => l.source === 'app').slice(-40).map((l) => l.message);
    const output = quotedOutput(lines).map((l) => `\n    ${l}`);
    return output.length ? `${reason}\n  its last output:${output.join('')}` : reason;
  }

  /** The start was cut short by a stop (Ctrl-C, down): no Error line, the stop's own lines say what happened. */
  private interrupted(): StartResult {
    this.error = 'the space was stopped during the start';
    return { ok: false, reason: this.error, running: false };
  }

  private fail(reason: string, running: boolean): StartResult {
    this.phase = running ? 'running' : 'failed';
    this.error = reason;
    this.say(`Error: ${reason.split('\n')[0]}`); // one log line; the dyno's output quoted in it is in the log already
    return { ok: false, reason, running };
  }

  /** Stops dynos, then services in reverse order, then anything left; removes the socket. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.claimed) {
        // Another control plane runs this space: touch nothing of it (socket, state, log lines).
        await this.logs.close();
        this.onStopped();
        return;
      }
      this.phase = 'stopping';
      this.say('Stopping the space');
      await this.runtime?.stop();
      for (const svc of [...this.services].reverse()) {
        try {
          await svc.stop();
        } catch (err) {
          this.say(`Error: ${svc.name} failed to stop: ${(err as Error).message}`);
        }
      }
      await this.supervisor.stopAll();
      this.supervisor.recorder.flush();
      this.server?.close();
      rmSync(this.socketPath, { force: true });
      try {
        this.state.update((st) => {
          if (st.controlPlane?.pid === process.pid) delete st.controlPlane;
        });
      } catch (err) {
        // A spoilt state.json must not stop the stop: the next start sees this pid is gone anyway.
        this.say(`Error: ${(err as Error).message}`);
      }
      this.say('Space stopped');
      // Followers (`logs -t`) get every line up to this one, then their stream ends; other connections close.
      await this.logs.close();
      this.server?.closeAllConnections();
      this.onStopped();
    })();
    return this.stopping;
  }

  /** Last resort when the process exits abruptly: SIGKILL every child group synchronously. */
  killChildrenNow(): void {
    this.supervisor.killAllNow();
    void this.runtime?.runs.stopAll();
  }

  private say(message: string): void {
    this.logs.write({ source: 'spaceport', app: '', dyno: 'control-plane', message });
  }
}
