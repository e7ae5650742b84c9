/** `spaceport routes [--json]`: the gateway's routing table (from the running gateway, admin API changes included). */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('routes')
    .description('List the gateway routes: hosts, paths, methods, service, target and plugins')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print an array of {route, service, hosts, paths, methods, headers, target, plugins, default}')
    .action(async (opts: { file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { table } = await import('../format.js');
      type RouteRow = import('../../gateway/route-listing.js').RouteRow;
      const rows = await call<RouteRow[]>(locateSpace(opts.file), 'GET', '/v1/gateway/routes');
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log('No routes. Add gateway.services.<name>.routes to spaceport.yaml, or give an app a web process.');
        return;
      }
      const { routeTable } = await import('../../gateway/route-listing.js');
      const [header, ...body] = routeTable(rows);
      console.log(table(header!, body));
    });
}
