/**
 * One-off dynos (`spaceport run`, `run:detached`). An attached one is spawned by the CLI itself, on the user's
 * terminal, with the env it got from the control plane: the control plane only names it (`run.N`), lists it in
 * `ps`, logs its lifecycle and can signal its pid (`ps:stop`). A detached one is spawned here, through the
 * Supervisor, its output in the space's log. Neither is ever restarted: a one-off runs once, and one that was
 * stopped stays stopped.
 */
import type { DynoInfo } from './dyno.js';
import type { LogSink } from './log-line.js';
import type { SupervisedChild } from './supervisor-types.js';
import { exitStatus } from './process-recorder.js';
import { processTree, readStartTicks } from './proc-stat.js';

interface Run {
  info: DynoInfo;
  /** The supervised process of a detached run; none for an attached one (the CLI runs it). */
  child?: SupervisedChild;
  stopTimeoutMs: number;
  /** Resolves when the run has finished (its exit reported). */
  done: Promise<void>;
  finish: () => void;
  /** An attached run's watchdog (see watch). */
  timer?: NodeJS.Timeout;
}

/** How long an attached run may be gone, or not started, without its CLI saying so before it is finished here. */
const GONE_GRACE_MS = 5000;
const START_GRACE_MS = 60_000;

export class OneOffRegistry {
  private readonly runs = new Map<string, Run>();
  private readonly seq = new Map<string, number>();

  constructor(
    private readonly log: LogSink,
    private readonly changed: () => void,
  ) {}

  /** Names a new one-off dyno of `app` and, for an attached run (the CLI spawns it), logs its start. */
  create(app: string, command: string, release: string, port: number, stopTimeoutMs: number, detached = false): DynoInfo {
    const n = (this.seq.get(app) ?? 0) + 1;
    this.seq.set(app, n);
    const info: DynoInfo = { app, dyno: `run.${n}`, type: 'run', state: 'starting', pid: null, port, release, restarts: 0, since: new Date().toISOString() };
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const run: Run = { info, stopTimeoutMs, done, finish };
    this.runs.set(`${app}/${info.dyno}`, run);
    // A detached run's Supervisor logs "Starting process with command ..." itself.
    if (!detached) {
      this.platform(info, `Starting process with command \`${command}\` by user`);
      // A CLI that dies before it spawned the command never reports it: not listed as starting for ever.
      run.timer = setTimeout(() => this.lost(run, 'it never started'), START_GRACE_MS).unref();
    }
    this.changed();
    return info;
  }

  /** Follows a detached run's supervised process (spawned with restart: false): up at spawn, complete at exit. */
  attach(app: string, dyno: string, child: SupervisedChild): void {
    const run = this.get(app, dyno);
    run.child = child;
    child.on('spawn', (pid) => this.started(app, dyno, pid));
    // The Supervisor has logged "Process exited with status N" before this event.
    child.on('exit', (code, signal) => this.finished(app, dyno, exitStatus(code, signal), false));
  }

  started(app: string, dyno: string, pid: number): void {
    const run = this.get(app, dyno);
    const { info } = run;
    info.pid = pid;
    this.platform(info, 'State changed from starting to up');
    info.state = 'up';
    info.since = new Date().toISOString();
    if (!run.child) this.watch(run, pid);
    this.changed();
  }

  /**
   * An attached run ends when its CLI reports the exit. A CLI that is gone (its terminal closed: SIGHUP ends both
   * it and the command; kill -9) never does: once the command has been gone GONE_GRACE_MS, the run is finished
   * here, lest `ps` list it for ever. Checked each second by the pid's start time (a reused pid is not it).
   */
  private watch(run: Run, pid: number): void {
    clearTimeout(run.timer);
    const ticks = readStartTicks(pid);
    let goneSince: number | undefined;
    run.timer = setInterval(() => {
      if (ticks !== undefined && readStartTicks(pid) === ticks) return void (goneSince = undefined);
      goneSince ??= Date.now();
      if (Date.now() - goneSince >= GONE_GRACE_MS) this.lost(run, 'it exited');
    }, 1000).unref();
  }

  private lost(run: Run, what: string): void {
    const { app, dyno } = run.info;
    if (this.runs.get(`${app}/${dyno}`) !== run) return;
    this.platform(run.info, `Process exited: ${what}, and the \`spaceport run\` attached to it is gone without reporting its status`);
    this.finished(app, dyno, 0, false);
  }

  finished(app: string, dyno: string, status: number, logExit = true): void {
    const run = this.get(app, dyno);
    clearTimeout(run.timer);
    clearInterval(run.timer);
    if (logExit) this.platform(run.info, `Process exited with status ${status}`);
    this.platform(run.info, `State changed from ${run.info.state} to complete`);
    this.runs.delete(`${app}/${dyno}`);
    run.finish();
    this.changed();
  }

  has(app: string, dyno: string): boolean {
    return this.runs.has(`${app}/${dyno}`);
  }

  list(): DynoInfo[] {
    return [...this.runs.values()].map((r) => r.info);
  }

  /**
   * `ps:stop run.N`: SIGTERM, then SIGKILL after the app's stop_timeout (R12); resolves once it has finished.
   * A detached run is stopped through the Supervisor (its whole process group); an attached one is the CLI's
   * child in the terminal's process group, so its process tree is signalled, and the CLI reports the exit (143).
   */
  async stop(app: string, dyno: string): Promise<void> {
    const run = this.get(app, dyno);
    this.platform(run.info, 'Stopping all processes with SIGTERM');
    if (run.child) {
      await run.child.stop();
      await run.done;
      return;
    }
    const pid = run.info.pid;
    if (pid === null) throw new Error(`${dyno} of ${app} has not started yet; try again in a moment`);
    // The command and what it started (see processTree); each checked by start time before a signal.
    const tree = processTree(pid);
    const running = () => tree.filter((p) => readStartTicks(p.pid) === p.startTicks);
    for (const p of tree) signal(p.pid, 'SIGTERM');
    const deadline = Date.now() + run.stopTimeoutMs;
    while ((this.has(app, dyno) || running().length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const left = running();
    if (left.length) {
      const secs = Math.round(run.stopTimeoutMs / 100) / 10;
      this.platform(run.info, `Error R12 (Exit timeout) -> At least one process failed to exit within ${secs} seconds of SIGTERM`);
      this.platform(run.info, 'Stopping remaining processes with SIGKILL');
      for (const p of left) signal(p.pid, 'SIGKILL');
    }
    // The CLI reports the exit once its child is gone; a CLI that is gone itself (killed, its terminal closed) never
    // will, so after a grace the run is finished here, lest `ps` list it for ever.
    const reported = await Promise.race([run.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
    if (!reported && this.has(app, dyno)) this.finished(app, dyno, left.length ? 137 : 143);
  }

  /** SIGTERM to every one-off process (on `down`); an attached run's CLI then exits too. */
  async stopAll(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const r of this.runs.values()) {
      if (r.child) waits.push(r.child.stop());
      else if (r.info.pid) for (const p of processTree(r.info.pid)) signal(p.pid, 'SIGTERM');
    }
    await Promise.all(waits);
  }

  private get(app: string, dyno: string): Run {
    const run = this.runs.get(`${app}/${dyno}`);
    if (!run) throw new Error(`no one-off dyno ${dyno} in ${app}`);
    return run;
  }

  private platform(info: DynoInfo, message: string): void {
    this.log.write({ source: 'spaceport', app: info.app, dyno: info.dyno, message });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
