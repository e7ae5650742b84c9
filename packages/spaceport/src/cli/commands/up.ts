/** `spaceport up [-f FILE] [-d]`: build, release and start the space; foreground streams logs, -d detaches. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('up')
    .description('Build, release and start every app of the space (foreground: streams logs, Ctrl-C stops it)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('-d, --detach', 'run the control plane in the background; return once every dyno is up')
    .action(async (opts: { file?: string; detach?: boolean }) => {
      if (opts.detach) await (await import('../up-detached.js')).upDetached(opts.file);
      else await (await import('../up-foreground.js')).upForeground(opts.file);
    });
}
