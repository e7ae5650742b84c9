/** `spaceport scale TYPE=N|TYPE+N|TYPE-N... -a APP`: changes the formation of an app. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('scale')
    .alias('ps:scale')
    .description('Scale process types of an app, such as web=2 worker=1, or by a number, such as web+1')
    .argument('<TYPE=N...>', 'process type and dyno count (web=2), or a change of it (web+1, worker-1)')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (pairs: string[], opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { usageError } = await import('../errors.js');
      const { resolveApp } = await import('../app-option.js');
      const counts: Record<string, number | string> = {};
      for (const p of pairs) {
        const m = /^([A-Za-z0-9_-]+)(?:=(\d+)|([+-]\d+))$/.exec(p);
        // Heroku's TYPE=N:SIZE (web=2:standard-2x): every dyno here is a process of this machine, of no size.
        const sized = /^([A-Za-z0-9_-]+)=(\d+):\S+$/.exec(p);
        if (sized) throw usageError(`${p}: dynos have no size here (each is a process of this machine): write ${sized[1]}=${sized[2]}`);
        if (!m) throw usageError(`${p}: write TYPE=N, such as web=2, or TYPE+N / TYPE-N to change a count, such as web+1`);
        counts[m[1]!] = m[2] !== undefined ? Number(m[2]) : m[3]!; // "+1": the control plane adds it to the count it runs
      }
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      const dynos = await call<{ type: string; outgoing?: boolean }[]>(space, 'POST', `/v1/apps/${encodeURIComponent(app)}/scale`, counts);
      const now = Object.keys(counts).map((t) => `${t} at ${dynos.filter((d) => d.type === t && !d.outgoing).length}`).join(', ');
      console.log(`Scaling dynos of ${app}... done, now running ${now}`);
    });
}
