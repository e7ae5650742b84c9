/**
 * One dyno instance with Heroku's lifecycle: starting → up (a web dyno once it accepts TCP on its PORT, any
 * other at spawn) → crashed on an unexpected exit (restarted by the supervisor with back-off) → stopping →
 * down. A web dyno that does not bind PORT within boot_timeout is killed with R10.
 */
import { connect } from 'node:net';
import type { DynoInfo, DynoState } from './dyno.js';
import type { LogSink } from './log-line.js';
import type { Child, ProcessSupervisor } from './supervisor.js';
import { exposedAddresses } from './listen-scope.js';
import { exitStatus } from './process-recorder.js';
import { shellCommand } from './shell-command.js';

export interface DynoSpec {
  app: string;
  /** `web.1`. */
  dyno: string;
  type: string;
  command: string;
  cwd: string;
  port: number;
  release: number;
  env: Record<string, string>;
  bootTimeoutMs: number;
  stopTimeoutMs: number;
}

let instanceSeq = 0;
const PROBE_MS = 20;

export class DynoProcess {
  state: DynoState = 'starting';
  since = new Date().toISOString();
  /** The old instance in a rolling restart (see DynoInfo.outgoing). */
  outgoing = false;
  /** Why the dyno last crashed: `R10 boot timeout`, `exited with status 1`. */
  lastError: string | undefined;
  private readonly child: Child;
  private generation = 0;
  private r10Generation = -1;
  private bootTimer: NodeJS.Timeout | undefined;
  private settleWaiters: ((s: 'up' | 'crashed') => void)[] = [];

  constructor(
    readonly spec: DynoSpec,
    sup: ProcessSupervisor,
    private readonly log: LogSink,
    private readonly onChange: () => void,
  ) {
    this.child = sup.start({
      name: `app:${spec.app}:${spec.dyno}#${++instanceSeq}`,
      logApp: spec.app,
      logDyno: spec.dyno,
      logSource: 'app',
      command: 'sh',
      args: ['-c', shellCommand(spec.command)],
      cwd: spec.cwd,
      env: spec.env,
      stopTimeoutMs: spec.stopTimeoutMs,
    });
    this.child.on('begin', () => {
      if (this.state !== 'starting') this.setState('starting');
    });
    this.child.on('spawn', () => this.booted());
    this.child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => this.exited(code, signal));
  }

  /** Resolves at the first `up` or the first crash of this instance. */
  settled(): Promise<'up' | 'crashed'> {
    if (this.state === 'up') return Promise.resolve('up');
    if (this.state === 'crashed' || this.state === 'down') return Promise.resolve('crashed');
    return new Promise((r) => this.settleWaiters.push(r));
  }

  /**
   * SIGTERM to the dyno's process group, SIGKILL after stop_timeout (R12). With `drain`, an `up` dyno is
   * `stopping` until `drain` resolves before its SIGTERM: the formation waits there for the gateway to confirm
   * that every worker has the dyno list marking it `stopping`, so no new request is sent here while the dyno
   * still accepts; a dyno told to stop first closes its listener and idle connections, and a request sent on
   * one is lost.
   */
  async stop(drain?: () => Promise<void>): Promise<void> {
    if (this.state === 'down') return;
    this.clearBoot();
    // Only an `up` dyno gets traffic from the gateway, so only an `up` one has anything to drain.
    const serving = this.state === 'up';
    // Announces `stopping` synchronously (onChange publishes the dyno list), so `drain` waits for this change.
    this.setState('stopping');
    if (drain && serving) await drain();
    // A stop() without drain (the space going down) may have finished it meanwhile.
    if ((this.state as DynoState) === 'down') return;
    this.platform('Stopping all processes with SIGTERM');
    await this.child.stop();
    this.setState('down');
  }

  info(): DynoInfo {
    return {
      app: this.spec.app,
      dyno: this.spec.dyno,
      type: this.spec.type,
      state: this.state,
      pid: this.child.pid,
      port: this.spec.port,
      release: `v${this.spec.release}`,
      restarts: this.child.restarts,
      since: this.since,
      ...(this.outgoing ? { outgoing: true as const } : {}),
    };
  }

  private booted(): void {
    const gen = ++this.generation;
    if (this.spec.type !== 'web') {
      this.setState('up');
      return;
    }
    this.bootTimer = setTimeout(() => {
      if (gen !== this.generation || this.state !== 'starting') return;
      const secs = Math.round(this.spec.bootTimeoutMs / 100) / 10;
      this.r10Generation = gen;
      this.lastError = `R10 boot timeout: web process failed to bind to $PORT within ${secs} seconds of launch`;
      this.platform(`Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${secs} seconds of launch`);
      this.platform('Stopping process with SIGKILL');
      this.child.kill('SIGKILL');
    }, this.spec.bootTimeoutMs);
    // Apps bind 0.0.0.0, ::, 127.0.0.1 or (`listen(PORT, 'localhost')` on Node) ::1 alone: try both loopbacks.
    let attempt = 0;
    const probe = () => {
      if (gen !== this.generation || this.state !== 'starting') return;
      const sock = connect({ port: this.spec.port, host: attempt++ % 2 === 0 ? '127.0.0.1' : '::1' });
      sock.once('connect', () => {
        sock.destroy();
        if (gen !== this.generation || this.state !== 'starting') return;
        this.clearBoot();
        this.setState('up');
        this.warnIfExposed(gen);
      });
      sock.once('error', () => {
        sock.destroy();
        if (attempt % 2 === 1) probe(); // the other loopback at once
        else setTimeout(probe, PROBE_MS);
      });
    };
    probe();
  }

  /** A web dyno is for the gateway and the internal router (loopback): say so when it listens on more. */
  private warnIfExposed(gen: number): void {
    void exposedAddresses(this.spec.port).then((list) => {
      if (list.length === 0 || gen !== this.generation) return;
      this.platform(
        `Warning: ${this.spec.dyno} listens on ${list.join(' and ')}, not on loopback only: other machines can reach it without the gateway; ` +
          `listen on 127.0.0.1 instead (Node: server.listen(process.env.PORT, '127.0.0.1'))`,
      );
    });
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    const r10 = this.r10Generation === this.generation;
    this.generation++;
    this.clearBoot();
    if (this.state === 'stopping' || this.state === 'down') return;
    if (!r10) this.lastError = `exited with status ${exitStatus(code, signal)}`;
    this.setState('crashed');
  }

  private clearBoot(): void {
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.bootTimer = undefined;
  }

  private setState(next: DynoState): void {
    if (next === this.state) return;
    this.platform(`State changed from ${this.state} to ${next}`);
    this.state = next;
    this.since = new Date().toISOString();
    if (next === 'up' || next === 'crashed' || next === 'down') {
      const ws = this.settleWaiters;
      this.settleWaiters = [];
      for (const w of ws) w(next === 'up' ? 'up' : 'crashed');
    }
    this.onChange();
  }

  private platform(message: string): void {
    this.log.write({ source: 'spaceport', app: this.spec.app, dyno: this.spec.dyno, message });
  }
}
