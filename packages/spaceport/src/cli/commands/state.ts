/**
 * `spaceport state list [ADDRESS...]` and `spaceport state show ADDRESS`, as `terraform state list|show`: the
 * resources recorded in .spaceport/state.json, by the addresses plan prints. Read-only; no running space needed.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  const state = program
    .command('state')
    .description('Read the state (.spaceport/state.json), as terraform state: list, show')
    .enablePositionalOptions();
  state
    .command('list [address...]')
    .description('Every resource address in state, one per line; with ADDRESS, those at or under it (apps.web: the app, its config, its formation)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (prefixes: string[], opts: { file?: string }) => {
      const { resources } = await readState(opts.file);
      const { listAddresses } = await import('../../plan/state-view.js');
      const found = listAddresses(resources, prefixes);
      if (found.length === 0 && prefixes.length > 0) console.error(`No resource in state at or under ${prefixes.join(', ')}.`);
      for (const a of found) console.log(a);
    });
  state
    .command('show <address>')
    .description('The attributes state records for one resource, secrets shown as (sensitive value)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (address: string, opts: { file?: string }) => {
      const { resources } = await readState(opts.file);
      const { showResource } = await import('../../plan/state-view.js');
      process.stdout.write(showResource(resources, address));
    });
}

/** The state of the space, refusing (as terraform does) when there is no state file at all. */
async function readState(file: string | undefined): Promise<{ resources: Record<string, { id: string; kind: string; attributes: unknown }> }> {
  const { existsSync } = await import('node:fs');
  const { locateSpace } = await import('../space.js');
  const { StateStore } = await import('../../state/store.js');
  const { CliError } = await import('../errors.js');
  const paths = locateSpace(file);
  const store = new StateStore(paths.stateDir);
  if (!existsSync(store.file) && !existsSync(store.backupFile)) {
    throw new CliError(`no state file (${store.file}): state is recorded by \`spaceport up\` and \`spaceport apply\`; run them in this space first`);
  }
  return { resources: store.read().resources };
}
