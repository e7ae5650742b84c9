/** `spaceport restart [-a APP] [DYNO]`: rolling restart; a web dyno's replacement is up before the old one stops. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('restart')
    .alias('ps:restart')
    .description('Restart dynos (all, one app with -a, a type like web or one dyno like web.2), rolling')
    .argument('[DYNO]', 'a dyno (web.2) or a process type (web) of the app named by -a (which a space of one app needs not)')
    .option('-a, --app <app>', 'only this app')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (dyno: string | undefined, opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const space = locateSpace(opts.file);
      let app = opts.app;
      if (dyno && !app) app = await (await import('../app-option.js')).resolveApp(space, undefined);
      const r = await call<{ restarted: string[] }>(space, 'POST', '/v1/restart', { app, dyno });
      console.log(`Restarted ${r.restarted.length} dyno${r.restarted.length === 1 ? '' : 's'}${r.restarted.length ? ': ' + r.restarted.join(', ') : ''}`);
    });
}
