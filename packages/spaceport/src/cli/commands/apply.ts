/** `spaceport apply [PLANFILE] [-f FILE] [--auto-approve] [--allow-destroy] [--target ADDRESS]... [--replace ADDRESS]... [--lock-timeout 10s]`: make the space match the file. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('apply')
    .description('Make the running space match spaceport.yaml (asks first unless --auto-approve, or given a saved plan)')
    .argument('[planfile]', 'a plan saved by `spaceport plan --out`: applied as saved, without asking; refused if stale')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--auto-approve', 'apply without asking')
    .option('--allow-destroy', 'accept changes that destroy data (a renamed app with a database, without moved:)')
    .option('--target <address>', 'apply only the changes of this resource (and what is under it) and what it depends on; repeatable; not with a saved plan (it keeps its own targets)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--replace <address>', 're-create this resource although it needs no change (an app: rebuilt and released anew; an embedded add-on or a topic: emptied, needs --allow-destroy); repeatable, as terraform -replace', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--lock-timeout <duration>', 'how long to wait for another apply to finish (default 10s)')
    .action(async (planFile: string | undefined, opts: { file?: string; autoApprove?: boolean; allowDestroy?: boolean; lockTimeout?: string; target?: string[]; replace?: string[] }) => {
      const { runApply } = await import('../../plan/cli-apply.js');
      process.exitCode = await runApply({ ...opts, planFile });
    });
}
