/**
 * `spaceport addons [--json]`: the space's add-ons as Heroku lists them: name, type, embedded or external,
 * state, and which apps attach each under which variable. From the file, with the running space's state when
 * it runs (`down` otherwise), so it also answers what a stopped space would start.
 */
import type { Command } from 'commander';

export interface AddonRow {
  name: string;
  type: string;
  plan: 'embedded' | 'external';
  state: string;
  url?: string;
  attachments: { app: string; as: string }[];
}

export function register(program: Command): void {
  program
    .command('addons')
    .description('List the add-ons: type, embedded or external, state, and the apps attaching each (DATABASE_URL, KAFKA_URL...)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print an array of {name, type, plan, state, url?, attachments: [{app, as}]}')
    .action(async (opts: { file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { table } = await import('../format.js');
      const { loadOrExplain } = await import('../load-or-explain.js');
      const paths = locateSpace(opts.file);
      const space = await loadOrExplain(paths.file);
      let services: Record<string, Record<string, unknown>> = {};
      try {
        services = (await call<{ services: Record<string, Record<string, unknown>> }>(paths, 'GET', '/v1/status')).services;
      } catch (err) {
        if (!(err as { spaceDown?: boolean }).spaceDown) throw err;
      }
      const rows: AddonRow[] = Object.entries(space.config.addons).map(([name, a]) => {
        const live = services[`addons.${name}`];
        const attachments = Object.values(space.config.apps).flatMap((app) =>
          app.addons.flatMap((att) => {
            const target = typeof att === 'string' ? att : att.name;
            if (target !== name) return [];
            return [{ app: app.name, as: typeof att === 'string' ? (a.type === 'postgres' ? 'DATABASE_URL' : 'KAFKA_URL') : `${att.as}_URL` }];
          }),
        );
        const url = typeof live?.url === 'string' ? live.url : undefined;
        return { name, type: a.type, plan: a.url ? 'external' : 'embedded', state: live ? String(live.state ?? 'up') : 'down', ...(url ? { url } : {}), attachments };
      });
      if (opts.json) return void console.log(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return void console.log('No add-ons. Declare them under addons: in spaceport.yaml (type: postgres or type: kafka).');
      console.log(
        table(
          ['ADD-ON', 'TYPE', 'PLAN', 'STATE', 'ATTACHED AS', 'URL'],
          rows.map((r) => [r.name, r.type, r.plan, r.state, r.attachments.map((x) => `${x.app} (${x.as})`).join(', ') || '-', r.url ?? '-']),
        ),
      );
    });
}
