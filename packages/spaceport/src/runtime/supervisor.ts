/**
 * The Supervisor: spawns each child in its own process group (detached), streams its output line by line
 * into the log sink, restarts it with back-off, stops it with SIGTERM to the group then SIGKILL (R12), and
 * records {pid, startTicks} in state so a later `up` can reap what a killed control plane left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { LogSink } from './log-line.js';
import type { ChildSpec, SupervisedChild, Supervisor } from './supervisor-types.js';
import type { StateStore } from '../state/store.js';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { LineSplitter } from './line-splitter.js';
import { groupAlive, readStartTicks, signalGroup } from './proc-stat.js';
import { nodeMain } from './node-main.js';
import { exitStatus, ProcessRecorder } from './process-recorder.js';

export interface SupervisorOptions {
  log: LogSink;
  /** Where pids are recorded for reaping; none in unit tests that need no state. */
  state?: StateStore;
  backoff?: BackoffOptions;
}

export class ProcessSupervisor implements Supervisor {
  readonly children = new Set<Child>();
  readonly recorder: ProcessRecorder;

  constructor(readonly opts: SupervisorOptions) {
    this.recorder = new ProcessRecorder(opts.state, (message) => opts.log.write({ source: 'spaceport', app: '', dyno: 'control-plane', message }));
  }

  start(spec: ChildSpec): Child {
    const child = new Child(spec, this);
    this.children.add(child);
    child.begin();
    return child;
  }

  nodeMain(moduleFromSrc: string): { command: string; args: string[] } {
    return nodeMain(moduleFromSrc);
  }

  /** Stops every child (SIGTERM, then SIGKILL after each one's grace). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => c.stop()));
  }

  /** Last resort on exit: SIGKILL every group we started, synchronously. */
  killAllNow(): void {
    for (const c of this.children) c.kill('SIGKILL');
  }
}

/** One supervised child; `kill` signals the current process without ending supervision (R10 uses it). */
export class Child extends EventEmitter implements SupervisedChild {
  private proc: ChildProcess | undefined;
  private startedAt = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly backoff: Backoff;
  private _pid: number | null = null;
  private _restarts = 0;

  constructor(
    readonly spec: ChildSpec,
    private readonly sup: ProcessSupervisor,
  ) {
    super();
    this.backoff = new Backoff(sup.opts.backoff ?? DEFAULT_BACKOFF);
  }

  get pid(): number | null {
    return this._pid;
  }
  get restarts(): number {
    return this._restarts;
  }
  get stopped(): boolean {
    return this.stopping;
  }

  begin(): void {
    const { spec } = this;
    this.emit('begin');
    this.platform(`Starting process with command \`${displayCommand(spec)}\``);
    let proc: ChildProcess;
    try {
      proc = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc', ...(spec.onPipe ? (['pipe'] as const) : [])] : ['ignore', 'pipe', 'pipe'],
        serialization: spec.serialization ?? 'json',
      });
    } catch (err) {
      this.platform(`Error: cannot start the process: ${(err as Error).message}`);
      this.afterExit(127, null);
      return;
    }
    this.proc = proc;
    this.startedAt = Date.now();
    let done!: () => void;
    this.exited = new Promise((r) => (done = r));
    const out = new LineSplitter((message) => this.sup.opts.log.write({ source: spec.logSource, app: spec.logApp, dyno: spec.logDyno, message }));
    const err = new LineSplitter((message) => this.sup.opts.log.write({ source: spec.logSource, app: spec.logApp, dyno: spec.logDyno, message }));
    proc.stdout!.on('data', (b: Buffer) => out.push(b));
    proc.stderr!.on('data', (b: Buffer) => err.push(b));
    proc.stdout!.on('end', () => out.end());
    proc.stderr!.on('end', () => err.end());
    if (spec.onMessage) proc.on('message', (m) => spec.onMessage!(m));
    if (spec.ipc && spec.onPipe) {
      const pipe = proc.stdio[4] as Readable;
      pipe.on('error', () => {}); // the child's end went away: its exit is handled below
      spec.onPipe(pipe);
    }
    proc.on('spawn', () => {
      const pid = proc.pid!;
      this._pid = pid;
      this.sup.recorder.add(spec.name, pid, readStartTicks(pid) ?? 0);
      this.emit('spawn', pid);
    });
    let handled = false;
    proc.on('error', (e) => {
      if (proc.pid !== undefined || handled) return; // errors after spawn (IPC) are not exits
      handled = true;
      this.platform(`Error: cannot start \`${spec.command}\`: ${e.message}`);
      this.proc = undefined;
      done();
      this.afterExit(127, null);
    });
    // 'close' comes once stdout/stderr are drained: the last lines are logged before "Process exited".
    const closed = new Promise<void>((r) => proc.once('close', () => r()));
    proc.on('exit', (code, signal) => {
      if (handled) return;
      handled = true;
      const pid = proc.pid!;
      this.proc = undefined;
      this._pid = null;
      // A process outside the group (it called setsid) may hold the pipes open: wait for them only briefly.
      const drained = Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
      void this.reapGroup(pid).then(() => drained).then(() => {
        this.sup.recorder.remove(spec.name, pid);
        done();
        this.afterExit(code, signal);
      });
    });
  }

  /** After the leader exits: a stop lets the rest of the group finish its grace, a crash kills it at once. */
  private async reapGroup(pgid: number): Promise<void> {
    if (!this.stopping) {
      signalGroup(pgid, 'SIGKILL');
      return;
    }
    while (groupAlive(pgid) && !this.killTimerFired) await new Promise((r) => setTimeout(r, 25));
    signalGroup(pgid, 'SIGKILL');
  }

  private killTimerFired = false;

  private afterExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.platform(`Process exited with status ${exitStatus(code, signal)}`);
    this.emit('exit', code, signal);
    if (this.stopping || this.spec.restart === false) {
      this.sup.children.delete(this);
      return;
    }
    const delay = this.backoff.next(Date.now() - this.startedAt);
    this._restarts += 1;
    this.emit('restart', delay);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping) this.begin();
    }, delay);
  }

  send(msg: unknown): void {
    if (this.proc?.connected) this.proc.send(msg as never);
  }

  /** Signals the current process group; supervision (restart) goes on. */
  kill(signal: NodeJS.Signals): void {
    const pid = this.proc?.pid;
    if (pid !== undefined) signalGroup(pid, signal);
  }

  /** SIGTERM to the group, SIGKILL after stopTimeoutMs (logged as R12); no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.sup.children.delete(this);
    }
    const pid = this.proc?.pid;
    if (pid === undefined) {
      await this.exited;
      return;
    }
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      this.killTimerFired = true;
      const secs = Math.round(this.spec.stopTimeoutMs / 100) / 10;
      this.platform(`Error R12 (Exit timeout) -> At least one process failed to exit within ${secs} seconds of SIGTERM`);
      this.platform('Stopping remaining processes with SIGKILL');
      signalGroup(pid, 'SIGKILL');
    }, this.spec.stopTimeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Starts over from an immediate restart on the next crash (a new release, a dyno that stayed up). */
  resetBackoff(): void {
    this.backoff.reset();
  }

  private platform(message: string): void {
    this.sup.opts.log.write({ source: 'spaceport', app: this.spec.logApp, dyno: this.spec.logDyno, message });
  }
}

/** The command as the user wrote it: `sh -c "npm start"` shows as `npm start`. */
export function displayCommand(spec: Pick<ChildSpec, 'command' | 'args'>): string {
  if ((spec.command === 'sh' || spec.command === '/bin/sh') && spec.args[0] === '-c' && spec.args.length === 2) return spec.args[1]!.replace(/^exec /, '');
  return [spec.command, ...spec.args].join(' ');
}
