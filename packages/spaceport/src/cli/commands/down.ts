/** `spaceport down [-f FILE]`: stops the space; with no control plane, reaps what a killed one left behind. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('down')
    .description('Stop the space: every dyno and platform process (SIGTERM, SIGKILL after stop_timeout)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (opts: { file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const paths = locateSpace(opts.file);
      // Admin-API changes and scales made outside the file do not survive a stop: say which, and how to keep them.
      if ((await import('node:fs')).existsSync(paths.socket)) await (await import('../../plan/down-drift.js')).warnBeforeDown(opts.file);
      let pid: number;
      try {
        pid = (await call<{ pid: number }>(paths, 'POST', '/v1/down')).pid;
      } catch (err) {
        const { StateStore } = await import('../../state/store.js');
        const { reapLeftovers } = await import('../../runtime/process-recorder.js');
        const reaped = await reapLeftovers(new StateStore(paths.stateDir));
        if (reaped.length === 0) {
          // Already stopped is what down asked for: exit 0, so `down` in a cleanup step or a trap does not fail.
          if ((err as { spaceDown?: boolean }).spaceDown) return void console.error(`The space in ${paths.dir} is not running: nothing to stop.`);
          throw err;
        }
        console.error(`The control plane was not running; killed ${reaped.length} process group(s) it left behind: ${reaped.join(', ')}`);
        return;
      }
      const { existsSync } = await import('node:fs');
      console.error('Stopping the space...');
      const deadline = Date.now() + STOP_LIMIT_MS;
      const { pidAlive: alive } = await import('../../runtime/proc-stat.js');
      // A dyno that ignores SIGTERM holds the stop for its whole stop_timeout (30 s by default): say who, once.
      const said = setTimeout(() => {
        call<{ app: string; dyno: string; state: string }[]>(paths, 'GET', '/v1/ps')
          .then((dynos) => {
            const left = dynos.filter((d) => d.state === 'stopping').map((d) => `${d.app}/${d.dyno}`);
            if (left.length) console.error(`Waiting for ${left.join(', ')} to exit after SIGTERM (SIGKILL once its stop_timeout is over: R12)...`);
          })
          .catch(() => {}); // stopped meanwhile
      }, 2000);
      while ((alive(pid) || existsSync(paths.socket)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      clearTimeout(said);
      if (alive(pid)) {
        // A control plane stuck in its stop: kill it, then the groups it recorded.
        process.kill(pid, 'SIGKILL');
        const { StateStore } = await import('../../state/store.js');
        const { reapLeftovers } = await import('../../runtime/process-recorder.js');
        const reaped = await reapLeftovers(new StateStore(paths.stateDir));
        console.error(`The control plane did not stop within ${STOP_LIMIT_MS / 1000}s: killed it and ${reaped.length} process group(s).`);
        return;
      }
      console.error('Stopped.');
    });
}

/** Longer than any sane stop_timeout: dynos, then services, each get their own grace within it. */
const STOP_LIMIT_MS = 180_000;

