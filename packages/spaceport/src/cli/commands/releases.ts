/** `spaceport releases -a APP [--json]`: the numbered releases of an app, newest first. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('releases')
    .description('List the releases of an app (v1, v2...), newest first')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print an array of {version, description, created, status, current, build}')
    .action(async (opts: { app?: string; file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { resolveApp } = await import('../app-option.js');
      const { table, ago } = await import('../format.js');
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      type Rel = { version: string; description: string; created: string; status: string; current: boolean; build: string | null };
      const rels = await call<Rel[]>(space, 'GET', `/v1/apps/${encodeURIComponent(app)}/releases`);
      if (opts.json) return void console.log(JSON.stringify(rels, null, 2));
      console.log(`=== ${app} Releases`);
      console.log(table(['', 'VERSION', 'STATUS', 'BUILD', 'CREATED', 'DESCRIPTION'], rels.map((r) => [r.current ? '*' : '', r.version, r.status, r.build ?? '-', ago(r.created), r.description])));
    });
}
