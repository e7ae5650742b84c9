/** `spaceport ps [-a APP] [--json]`: the dynos of the space and their state. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('ps')
    .description('List dynos: app, dyno, state, pid, port, release, restarts, since')
    .option('-a, --app <app>', 'only this app')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print an array of {app, dyno, type, state, pid, port, release, restarts, since, outgoing?}')
    .action(async (opts: { app?: string; file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { table, ago } = await import('../format.js');
      type DynoInfo = import('../../runtime/dyno.js').DynoInfo;
      const q = opts.app ? `?app=${encodeURIComponent(opts.app)}` : '';
      const dynos = await call<DynoInfo[]>(locateSpace(opts.file), 'GET', `/v1/ps${q}`);
      if (opts.json) {
        console.log(JSON.stringify(dynos, null, 2));
        return;
      }
      if (dynos.length === 0) {
        console.log('No dynos running.');
        return;
      }
      // During a rolling restart a dyno name has two instances: the new one, then the old one, marked.
      const rows = dynos.map((d) => [d.app, d.dyno, d.outgoing ? `${d.state} (outgoing)` : d.state, d.pid === null ? '-' : String(d.pid), String(d.port), d.release, String(d.restarts), ago(d.since)]);
      console.log(table(['APP', 'DYNO', 'STATE', 'PID', 'PORT', 'RELEASE', 'RESTARTS', 'SINCE'], rows));
    });
}
