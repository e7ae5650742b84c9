/** `spaceport groups`: consumer groups of the embedded Kafka broker — members, assignments, committed offsets, lag. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('groups')
    .description('List consumer groups: state, members, assignments, committed offsets and lag per partition')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--addon <name>', 'the Kafka add-on (default: the only one)')
    .option('--json', 'print JSON')
    .action(async (opts: { file?: string; addon?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { formatGroups } = await import('../../events/cli-format.js');
      type Res = { addon: string; groups: import('../../events/admin/views.js').GroupView[] };
      const query = opts.addon ? `?addon=${encodeURIComponent(opts.addon)}` : '';
      const res = await call<Res>(locateSpace(opts.file), 'GET', `/v1/groups${query}`);
      console.log(opts.json ? JSON.stringify(res, null, 2) : formatGroups(res.addon, res.groups));
    });
}
