/**
 * `spaceport state list [ADDRESS...]`, `state show ADDRESS` and `state rm ADDRESS...`, as `terraform state
 * list|show|rm`: the resources recorded in .spaceport/state.json, by the addresses plan prints. list and show are
 * read-only; rm forgets records without touching what runs. No running space needed.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  const state = program
    .command('state')
    .description('Read or edit the state (.spaceport/state.json), as terraform state: list, show, rm')
    .enablePositionalOptions();
  state
    .command('list [address...]')
    .description('Every resource address in state, one per line; with ADDRESS, those at or under it (apps.web: the app, its config, its formation)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print {"resources":[{address, kind, id}]}')
    .action(async (prefixes: string[], opts: { file?: string; json?: boolean }) => {
      const { resources } = await readState(opts.file);
      const { listAddresses, listJson } = await import('../../plan/state-view.js');
      if (opts.json) return void console.log(JSON.stringify(listJson(resources, prefixes), null, 2));
      const found = listAddresses(resources, prefixes);
      if (found.length === 0 && prefixes.length > 0) console.error(`No resource in state at or under ${prefixes.join(', ')}.`);
      for (const a of found) console.log(a);
    });
  state
    .command('show <address>')
    .description('The attributes state records for one resource, secrets shown as (sensitive value)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print {address, kind, id, attributes}, secrets as "(sensitive)"')
    .action(async (address: string, opts: { file?: string; json?: boolean }) => {
      const { resources } = await readState(opts.file);
      const { showJson, showResource } = await import('../../plan/state-view.js');
      if (opts.json) return void console.log(JSON.stringify(showJson(resources, address), null, 2));
      process.stdout.write(showResource(resources, address));
    });
  state
    .command('rm <address...>')
    .description('Forget resources (and everything under each address) without destroying them; a backup of the state is kept. The next plan finds them running again')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--dry-run', 'list what would be removed, change nothing')
    .option('--lock-timeout <duration>', 'how long to wait for a running apply to finish (default 10s)')
    .action(async (addresses: string[], opts: { file?: string; dryRun?: boolean; lockTimeout?: string }) => {
      await readState(opts.file);
      const { locateSpace } = await import('../space.js');
      const { StateStore } = await import('../../state/store.js');
      const { stateRm } = await import('../../plan/state-rm.js');
      const { parseTimeout } = await import('../../plan/session.js');
      const store = new StateStore(locateSpace(opts.file).stateDir);
      if (opts.dryRun) {
        for (const a of stateRm(store, addresses, true).removed) console.log(`Would remove ${a}`);
        return;
      }
      // An apply records what it changed as it goes: removing records under it would race its writes.
      const lock = await store.lockForApply('spaceport state rm', { timeoutMs: parseTimeout(opts.lockTimeout, 10_000), onWait: (h) => console.error(`Waiting for the state lock: held by pid ${h.pid} (${h.what}, since ${h.since})...`) });
      try {
        const r = stateRm(store, addresses);
        for (const a of r.removed) console.log(`Removed ${a}`);
        console.log(`Successfully removed ${r.removed.length} resource${r.removed.length === 1 ? '' : 's'} from state; nothing running was changed. Backup of the previous state: ${r.backup}`);
      } finally {
        lock.release();
      }
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
