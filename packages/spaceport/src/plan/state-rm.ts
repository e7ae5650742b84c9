/**
 * `spaceport state rm ADDRESS...`, as `terraform state rm`: forgets resources without touching what runs. Every
 * record at or under each address goes (an app's config and formation with it). Before the write, the state is
 * copied to `.spaceport/state.json.<epoch ms>.backup` (0600): the rolling `state.json.backup` is replaced by the
 * next write of anyone, this copy stays. The next plan finds the running resource again: one the file declares
 * "will be imported" (apply records it), one it does not is shown as created outside Spaceport (apps and gateway
 * entities: the file is their truth) or left alone (add-ons and topics).
 */
import { chmodSync, copyFileSync } from 'node:fs';
import { relative } from 'node:path';
import { didYouMean } from '../config/did-you-mean.js';
import { CliError, usageError } from '../cli/errors.js';
import type { StateStore } from '../state/store.js';
import { checkAddress, isUnder } from './address.js';

export interface RmResult {
  removed: string[];
  backup?: string;
}

/** The recorded addresses `addresses` name (each exactly or as a prefix), or a CliError naming the one that matches nothing. */
export function addressesToRemove(recorded: readonly string[], addresses: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of addresses) {
    const bad = checkAddress(a);
    if (bad) throw usageError(`${bad}: give addresses as \`spaceport state list\` prints them (apps.web, gateway.services.api)`);
    const hit = recorded.filter((r) => isUnder(r, a));
    if (hit.length === 0) {
      const near = didYouMean(a, new Set(recorded));
      throw new CliError(`no resource at or under ${a} in state${near ? `; did you mean ${near}?` : ''}; nothing was removed (\`spaceport state list\` prints every address in state)`);
    }
    for (const h of hit) out.add(h);
  }
  return [...out].sort();
}

/** Removes the records at or under `addresses` (after a timestamped backup), unless `dryRun`. */
export function stateRm(store: StateStore, addresses: readonly string[], dryRun = false): RmResult {
  const removed = addressesToRemove(Object.keys(store.read().resources), addresses);
  if (dryRun) return { removed };
  const backup = `${store.file}.${Date.now()}.backup`;
  copyFileSync(store.file, backup);
  chmodSync(backup, 0o600); // it holds the space's secrets, as state.json does
  store.update((s) => {
    for (const a of removed) delete s.resources[a];
  });
  return { removed, backup: relative(process.cwd(), backup) || backup };
}
