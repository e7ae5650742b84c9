/** `spaceport config`, `config:get K`, `config:set K=V...`, `config:unset K...`: config vars; each change is a new release. */
import type { Command } from 'commander';

const fileOpt = ['-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)'] as const;
const appOpt = ['-a, --app <app>', 'the app (required when the space has several)'] as const;

export function register(program: Command): void {
  program
    .command('config')
    .description("Show an app's config vars (spaceport.yaml env plus config:set changes)")
    .option(...appOpt)
    .option(...fileOpt)
    .option('--json', 'print them as a JSON object')
    .action(async (opts: { app?: string; file?: string; json?: boolean }) => {
      const { space, app, call } = await target(opts);
      const vars = await call<Record<string, string>>(space, 'GET', `/v1/apps/${encodeURIComponent(app)}/config`);
      if (opts.json) return void console.log(JSON.stringify(vars, null, 2));
      console.log(`=== ${app} Config Vars`);
      const w = Math.max(0, ...Object.keys(vars).map((k) => k.length + 1));
      for (const [k, v] of Object.entries(vars).sort()) console.log(`${(k + ':').padEnd(w)} ${v}`);
    });

  program
    .command('config:get')
    .description("Print one config var's value (empty when it is not set, as on Heroku), for scripts")
    .argument('<KEY>')
    .option(...appOpt)
    .option(...fileOpt)
    .action(async (key: string, opts: { app?: string; file?: string }) => {
      const { space, app, call } = await target(opts);
      const vars = await call<Record<string, string>>(space, 'GET', `/v1/apps/${encodeURIComponent(app)}/config`);
      console.log(vars[key] ?? '');
    });

  program
    .command('config:set')
    .description('Set config vars (KEY=VALUE...): creates a release and restarts the app\'s dynos')
    .argument('<KEY=VALUE...>')
    .option(...appOpt)
    .option(...fileOpt)
    .action(async (pairs: string[], opts: { app?: string; file?: string }) => {
      const { usageError } = await import('../errors.js');
      const set: Record<string, string> = {};
      for (const p of pairs) {
        const i = p.indexOf('=');
        if (i <= 0) throw usageError(`${p}: write KEY=VALUE, such as ${p || 'GREETING'}=hello`);
        set[p.slice(0, i)] = p.slice(i + 1); // names are checked by the control plane (PORT, MY-VAR refused)
      }
      await change(opts, { set }, `Setting ${Object.keys(set).join(', ')}`);
    });

  program
    .command('config:unset')
    .description('Remove config vars (KEY...): creates a release and restarts the app\'s dynos')
    .argument('<KEY...>')
    .option(...appOpt)
    .option(...fileOpt)
    .action(async (keys: string[], opts: { app?: string; file?: string }) => {
      await change(opts, { unset: keys }, `Unsetting ${keys.join(', ')}`);
    });
}

async function target(opts: { app?: string; file?: string }) {
  const { locateSpace } = await import('../space.js');
  const { call } = await import('../client.js');
  const { resolveApp } = await import('../app-option.js');
  const space = locateSpace(opts.file);
  return { space, app: await resolveApp(space, opts.app), call };
}

async function change(opts: { app?: string; file?: string }, body: { set?: Record<string, string>; unset?: string[] }, what: string): Promise<void> {
  const { space, app, call } = await target(opts);
  process.stderr.write(`${what} and restarting ${app}... `);
  const r = await call<{ release: string }>(space, 'PATCH', `/v1/apps/${encodeURIComponent(app)}/config`, body).catch((err: Error) => {
    process.stderr.write('failed\n');
    throw err;
  });
  process.stderr.write(`done, ${r.release}\n`);
}
