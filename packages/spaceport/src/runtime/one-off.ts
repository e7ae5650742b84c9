/**
 * One-off dynos (`spaceport run`): the CLI spawns the process itself, attached to the user's terminal, with
 * the env it got from the control plane; the control plane only names it (`run.N`), lists it in `ps` and logs
 * its lifecycle. It is never restarted.
 */
import type { DynoInfo } from './dyno.js';
import type { LogSink } from './log-line.js';

export class OneOffRegistry {
  private readonly runs = new Map<string, DynoInfo>();
  private readonly seq = new Map<string, number>();

  constructor(
    private readonly log: LogSink,
    private readonly changed: () => void,
  ) {}

  /** Names a new one-off dyno of `app` and logs its start. */
  create(app: string, command: string, release: string, port: number): DynoInfo {
    const n = (this.seq.get(app) ?? 0) + 1;
    this.seq.set(app, n);
    const info: DynoInfo = { app, dyno: `run.${n}`, type: 'run', state: 'starting', pid: null, port, release, restarts: 0, since: new Date().toISOString() };
    this.runs.set(`${app}/${info.dyno}`, info);
    this.platform(info, `Starting process with command \`${command}\` by user`);
    this.changed();
    return info;
  }

  started(app: string, dyno: string, pid: number): void {
    const info = this.get(app, dyno);
    info.pid = pid;
    this.platform(info, 'State changed from starting to up');
    info.state = 'up';
    info.since = new Date().toISOString();
    this.changed();
  }

  finished(app: string, dyno: string, status: number): void {
    const info = this.get(app, dyno);
    this.platform(info, `Process exited with status ${status}`);
    this.platform(info, `State changed from ${info.state} to complete`);
    this.runs.delete(`${app}/${dyno}`);
    this.changed();
  }

  list(): DynoInfo[] {
    return [...this.runs.values()];
  }

  /** SIGTERM to every one-off process (on `down`); the CLI that runs it then exits too. */
  stopAll(): void {
    for (const r of this.runs.values()) {
      if (r.pid) {
        try {
          process.kill(r.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  }

  private get(app: string, dyno: string): DynoInfo {
    const info = this.runs.get(`${app}/${dyno}`);
    if (!info) throw new Error(`no one-off dyno ${dyno} in ${app}`);
    return info;
  }

  private platform(info: DynoInfo, message: string): void {
    this.log.write({ source: 'spaceport', app: info.app, dyno: info.dyno, message });
  }
}
