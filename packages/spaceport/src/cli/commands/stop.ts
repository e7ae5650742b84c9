/**
 * `spaceport ps:stop DYNO [-a APP]` (alias `ps:kill`): stops a dyno as Heroku's does. A one-off (`run.N`) stops
 * for good; a dyno of the formation (`web.1`, or a type: `web`) is stopped and, since its scale still asks for
 * it, started again (Heroku's dyno manager does the same), which the command says, with how to keep it stopped.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('ps:stop')
    .alias('ps:kill')
    .description('Stop a dyno: a one-off (run.N) for good; one of the formation (web.1, or a type: web) is started again by its scale')
    .argument('<DYNO>', 'a dyno (run.2, web.1) or a process type (web) of the app')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (dyno: string, opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { resolveApp } = await import('../app-option.js');
      const { usageError } = await import('../errors.js');
      if (!/^[a-z][a-z0-9_-]*(\.\d+)?$/i.test(dyno)) throw usageError(`${dyno}: name a dyno (web.1, run.2) or a process type (web); \`spaceport ps\` lists them`);
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      const what = dyno.includes('.') ? `dyno ${dyno}` : `all ${dyno} dynos`;
      process.stderr.write(`Stopping ${what} on ⬢ ${app}... `);
      const path = `/v1/apps/${encodeURIComponent(app)}/dynos/${encodeURIComponent(dyno)}/stop`;
      const r = await call<{ stopped: string[]; restarted: boolean; scale?: Record<string, number> }>(space, 'POST', path).catch((err: Error) => {
        process.stderr.write('failed\n');
        throw err;
      });
      process.stderr.write('done\n');
      if (r.restarted) {
        const types = [...new Set(r.stopped.map((d) => d.slice(0, d.lastIndexOf('.'))))];
        const scale = types.map((t) => `${t}=${r.scale?.[t] ?? '?'}`).join(', ');
        const zero = types.map((t) => `${t}=0`).join(' ');
        console.log(
          `${r.stopped.join(', ')} ${r.stopped.length === 1 ? 'is' : 'are'} part of ${app}'s formation (${scale}), so ${r.stopped.length === 1 ? 'it was' : 'they were'} started again, as Heroku's dyno manager does. ` +
            `To keep ${r.stopped.length === 1 ? 'it' : 'them'} stopped, scale down: \`spaceport ps:scale ${zero} -a ${app}\``,
        );
      } else console.log(`Stopped ${r.stopped.join(', ')}.`);
    });
}
