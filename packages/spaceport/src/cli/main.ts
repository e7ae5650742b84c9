/** The `spaceport` CLI: registers every command module and runs the one asked for. */
import { Command } from 'commander';
import * as commands from './commands/index.js';

const program = new Command('spaceport')
  .description('Run a whole microservice system from one spaceport.yaml')
  .version('0.1.0')
  .enablePositionalOptions()
  .showHelpAfterError('(run `spaceport help <command>` for usage)');

for (const register of Object.values(commands)) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as { message?: string; exitCode?: number; name?: string };
  console.error(`spaceport: ${e.message ?? String(err)}`);
  process.exit(e.name === 'CliError' && typeof e.exitCode === 'number' ? e.exitCode : 1);
});
