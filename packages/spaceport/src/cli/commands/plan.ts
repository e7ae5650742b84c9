/** `spaceport plan [-f FILE] [--json] [--detailed-exitcode] [--adopt] [--allow-destroy] [--target ADDRESS]... [--replace ADDRESS]... [--out PLANFILE]`: what apply would change. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('plan')
    .description('Show what apply would change, like terraform plan: + create, ~ update, -/+ replace, - delete, -> move')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print {"changes":[{address, action, before, after, drift}]}')
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none')
    .option('--adopt', 'write changes made outside Spaceport (drift) into spaceport.yaml instead of undoing them')
    .option('--allow-destroy', 'accept changes that destroy data (a renamed app with a database, without moved:)')
    .option('--target <address>', 'plan only this resource (and what is under it) and what it depends on; repeatable. For exceptional situations, as terraform plan -target', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--replace <address>', 're-create this resource although it needs no change (an app: rebuilt and released anew; an embedded add-on or a topic: emptied, needs --allow-destroy); repeatable, as terraform -replace', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--out <planfile>', 'also save the plan to this file: `spaceport apply <planfile>` then does exactly it, or refuses if it went stale')
    .action(async (opts: { file?: string; json?: boolean; detailedExitcode?: boolean; adopt?: boolean; allowDestroy?: boolean; out?: string; target?: string[]; replace?: string[] }) => {
      const { runPlan } = await import('../../plan/cli-plan.js');
      process.exitCode = await runPlan(opts);
    });
}
