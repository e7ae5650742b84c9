/** `spaceport import ADDRESS...`: record in state a running resource the file declares (after `state rm`), as terraform import. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('import <address...>')
    .description('Record in state a resource that runs and that spaceport.yaml declares but state does not have (as terraform import; no id needed: Spaceport finds it)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--lock-timeout <duration>', 'how long to wait for a running apply to finish (default 10s)')
    .action(async (addresses: string[], opts: { file?: string; lockTimeout?: string }) => {
      const { runImport } = await import('../../plan/cli-import.js');
      process.exitCode = await runImport(addresses, opts);
    });
}
