/** `spaceport destroy [-f FILE] [--auto-approve] [--include-data]`: stop and forget everything the file created. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('destroy')
    .description('Remove everything the file created; database and topic data is kept unless --include-data')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--auto-approve', 'destroy without asking')
    .option('--include-data', 'also delete databases and topics with their data')
    .option('--lock-timeout <duration>', 'how long to wait for a running apply to finish (default 10s)')
    .action(async (opts: { file?: string; autoApprove?: boolean; includeData?: boolean; lockTimeout?: string }) => {
      const { runDestroy } = await import('../../plan/cli-destroy.js');
      process.exitCode = await runDestroy(opts);
    });
}
