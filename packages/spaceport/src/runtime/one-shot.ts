/** Commands that run once and report their exit status: the build, the release phase. */
import type { ProcessSupervisor } from './supervisor.js';
import { exitStatus } from './process-recorder.js';

export interface OneShot {
  app: string;
  /** Log name: `build`, `release`. */
  dyno: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  stopTimeoutMs: number;
}

/** Runs `sh -c command` once (never restarted), logging as app[<dyno>]; resolves with its exit status. */
export function runOnce(sup: ProcessSupervisor, o: OneShot): Promise<number> {
  return new Promise((resolve) => {
    const child = sup.start({
      name: `app:${o.app}:${o.dyno}`,
      logApp: o.app,
      logDyno: o.dyno,
      logSource: 'app',
      command: 'sh',
      args: ['-c', o.command],
      cwd: o.cwd,
      env: o.env,
      restart: false,
      stopTimeoutMs: o.stopTimeoutMs,
    });
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => resolve(exitStatus(code, signal)));
  });
}
