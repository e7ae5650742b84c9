/** The `spaceport` CLI: registers the command modules and runs the one asked for. */
import { Command } from 'commander';
import { installUsageErrors } from './usage-errors.js';

/**
 * Commands used against a running space, often in loops and scripts: their module alone is loaded (not the
 * ~30 of the index), which keeps `spaceport ps` well under 150 ms. Every command is also in the index.
 */
const HOT: Record<string, () => Promise<{ register(p: Command): void }>> = {
  ps: () => import('./commands/ps.js'),
  status: () => import('./commands/status.js'),
  logs: () => import('./commands/logs.js'),
  scale: () => import('./commands/scale.js'),
  restart: () => import('./commands/restart.js'),
  'ps:scale': () => import('./commands/scale.js'),
  'ps:restart': () => import('./commands/restart.js'),
  run: () => import('./commands/run.js'),
  'run:detached': () => import('./commands/run.js'),
  'ps:stop': () => import('./commands/stop.js'),
  'ps:kill': () => import('./commands/stop.js'),
  releases: () => import('./commands/releases.js'),
  config: () => import('./commands/config.js'),
  'config:get': () => import('./commands/config.js'),
  'config:set': () => import('./commands/config.js'),
  'config:unset': () => import('./commands/config.js'),
  'config:remove': () => import('./commands/config.js'),
  down: () => import('./commands/down.js'),
  up: () => import('./commands/up.js'),
};

const program = new Command('spaceport')
  .description('Run a whole microservice system from one spaceport.yaml')
  .version('0.1.0')
  .enablePositionalOptions()
  .showHelpAfterError('(run `spaceport help <command>` for usage)');
installUsageErrors(program);

// `spaceport status | head -1`: the reader is gone before the output is. Stop quietly, as Unix tools do, rather
// than with an 'Unhandled error event: write EPIPE' stack trace and exit 1.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

async function main(): Promise<void> {
  // `-v` (most CLIs) and `-version` (Terraform) as -V / --version: an unknown option otherwise.
  if (process.argv.length === 3 && (process.argv[2] === '-v' || process.argv[2] === '-version')) process.argv[2] = '--version';
  const arg = process.argv[2] ?? '';
  const hot = Object.hasOwn(HOT, arg) ? HOT[arg] : undefined; // not Object.prototype's: `spaceport constructor`
  if (hot) (await hot()).register(program);
  else for (const register of Object.values(await import('./commands/index.js'))) register(program);
  // `spaceport help apps`: commander prints the whole help without a word about `apps`; parsed as `spaceport apps`
  // it gets the unknown-command error, with its did-you-mean or the habit hint (habits.ts).
  const asked = process.argv[3];
  if (arg === 'help' && asked && !program.commands.some((c) => c.name() === asked || c.aliases().includes(asked))) process.argv.splice(2, 1);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  const e = err as { message?: string; exitCode?: number; name?: string };
  console.error(`spaceport: ${e.message ?? String(err)}`);
  process.exit(e.name === 'CliError' && typeof e.exitCode === 'number' ? e.exitCode : 1);
});
