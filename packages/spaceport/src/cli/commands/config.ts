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
    .option('-s, --shell', 'print KEY=value lines, quoted for a POSIX shell (`eval "$(spaceport config -s -a api)"`, a .env file)')
    .action(async (opts: { app?: string; file?: string; json?: boolean; shell?: boolean }) => {
      if (opts.json && opts.shell) {
        const { usageError } = await import('../errors.js');
        throw usageError('--json and --shell are two formats of the same list: give one of them');
      }
      const { space, app, call } = await target(opts);
      const vars = await call<Record<string, string>>(space, 'GET', `/v1/apps/${encodeURIComponent(app)}/config`);
      if (opts.json) return void console.log(JSON.stringify(vars, null, 2));
      if (opts.shell) {
        const { shellQuote } = await import('../shell-quote.js');
        for (const [k, v] of Object.entries(vars).sort()) console.log(`${k}=${shellQuote(v)}`);
        return;
      }
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
    .alias('config:remove')
    .description('Remove config vars (KEY...): creates a release and restarts the app\'s dynos')
    .argument('<KEY...>')
    .option(...appOpt)
    .option(...fileOpt)
    .action(async (keys: string[], opts: { app?: string; file?: string }) => {
      // Removing a var that is not set changes nothing: say so and make no release (nor restart the dynos).
      const { space, app, call } = await target(opts);
      const vars = await call<Record<string, string>>(space, 'GET', `/v1/apps/${encodeURIComponent(app)}/config`);
      const missing = keys.filter((k) => !(k in vars));
      const present = [...new Set(keys.filter((k) => k in vars))];
      const verb = missing.length === 1 ? 'is' : 'are';
      if (missing.length) process.stderr.write(`${missing.join(', ')} ${verb} not set on ⬢ ${app}: ${present.length ? `skipping ${missing.length === 1 ? 'it' : 'them'}` : 'nothing to unset, no release made'}\n`);
      if (present.length === 0) return;
      await change(opts, { unset: present }, `Unsetting ${present.join(', ')}`);
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
  process.stderr.write(`${what} and restarting ⬢ ${app}... `);
  const r = await call<{ release: string | null }>(space, 'PATCH', `/v1/apps/${encodeURIComponent(app)}/config`, body).catch((err: Error) => {
    process.stderr.write('failed\n');
    throw err;
  });
  // null: what was to be unset was gone meanwhile (another config:unset), so nothing changed.
  process.stderr.write(r.release ? `done, ${r.release}\n` : 'nothing to change, no release made\n');
}
