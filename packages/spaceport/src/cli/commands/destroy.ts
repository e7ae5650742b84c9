/** `spaceport destroy [-f FILE] [--auto-approve] [--include-data --confirm NAME] [--target ADDRESS]...`: stop and forget everything the file created. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('destroy')
    .description('Remove everything the file created; database and topic data is kept unless --include-data')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--auto-approve', 'destroy without asking')
    .option('--include-data', 'also delete databases and topics with their data: asks for the space\'s name (or --confirm NAME)')
    .option('--confirm <name>', 'the space\'s name, for scripts: the consent --include-data needs (--auto-approve is not enough for it)')
    .option('--lock-timeout <duration>', 'how long to wait for a running apply to finish (default 10s)')
    .option('--target <address>', 'destroy only this resource (what is under it, and what depends on it: a service pointing at a destroyed app); repeatable, as terraform destroy -target', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .action(async (opts: { file?: string; autoApprove?: boolean; includeData?: boolean; lockTimeout?: string; confirm?: string; target?: string[] }) => {
      const { runDestroy } = await import('../../plan/cli-destroy.js');
      process.exitCode = await runDestroy(opts);
    });
}
