/** `spaceport scale TYPE=N [TYPE=N...] -a APP`: changes the formation of an app. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('scale')
    .alias('ps:scale')
    .description('Scale process types of an app, such as web=2 worker=1')
    .argument('<TYPE=N...>', 'process type and dyno count')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (pairs: string[], opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { usageError } = await import('../errors.js');
      const { resolveApp } = await import('../app-option.js');
      const counts: Record<string, number> = {};
      for (const p of pairs) {
        const m = /^([A-Za-z0-9_-]+)=(\d+)$/.exec(p);
        if (!m) throw usageError(`${p}: write TYPE=N, such as web=2`);
        counts[m[1]!] = Number(m[2]);
      }
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      await call(space, 'POST', `/v1/apps/${encodeURIComponent(app)}/scale`, counts);
      const now = Object.entries(counts).map(([t, n]) => `${t} at ${n}`).join(', ');
      console.log(`Scaling dynos of ${app}... done, now running ${now}`);
    });
}
