/**
 * `--replace ADDRESS`, as Terraform's `-replace`: plan the re-creation of one resource that needs no change (or
 * would only be updated), through its provider's `replace`. It must be a resource the file declares and that
 * runs; one that does not run yet is simply created (the plan warns), one the file no longer declares is an error
 * (it would be destroyed, not replaced). What a replacement loses is its provider's `destroysData`, so a data-losing
 * one needs --allow-destroy like any other.
 */
import { didYouMean } from '../config/did-you-mean.js';
import { CliError } from '../cli/errors.js';
import { checkAddress } from './address.js';
import type { AnyProvider, Change } from './types.js';

export const REQUESTED = 'as requested with --replace';

/** Checks `--replace` values (exit 2 as usage errors, 1 for plan, whose 2 means changes). */
export function checkReplace(addresses: readonly string[], exitCode = 2): void {
  for (const a of addresses) {
    const bad = checkAddress(a);
    if (bad) throw new CliError(`--replace ${a}: ${bad}; give one resource's address as plan prints it (apps.web, addons.db)`, exitCode);
  }
}

/** `changes` with the changes at `addresses` turned into requested replacements; warnings for those created anyway. */
export function forceReplacements(changes: Change[], providers: readonly AnyProvider<unknown>[], addresses: readonly string[], warnings: string[]): Change[] {
  const byKind = new Map(providers.map((p) => [p.kind, p]));
  const out = [...changes];
  for (const a of addresses) {
    const i = out.findIndex((c) => c.address === a && c.action !== 'move');
    const c = out[i];
    if (!c || (c.action === 'noop' && c.before === undefined && c.after === undefined)) {
      const near = didYouMean(a, new Set(out.filter((x) => x.action !== 'delete').map((x) => x.address)));
      throw new CliError(`--replace ${a}: no resource ${a} in spaceport.yaml or the running space${near ? `; did you mean ${near}?` : ''}; replace takes one resource's address, as plan prints it`);
    }
    if (c.action === 'delete') throw new CliError(`--replace ${a}: spaceport.yaml no longer declares it, so apply destroys it; there is nothing to replace it with`);
    if (c.action === 'create') {
      warnings.push(`${a} does not run yet: it is created, there is nothing to replace (--replace ${a} changes nothing)`);
      continue;
    }
    if (c.action === 'replace') continue;
    const p = byKind.get(c.kind);
    if (!p?.replace) throw new CliError(`--replace ${a}: a ${c.kind} cannot be replaced (what can: apps, add-ons and topics); apply already makes a ${c.kind} exactly what the file says`);
    const spec = p.replace(c.after, c.before);
    out[i] = { ...c, ...spec, action: 'replace', reason: REQUESTED, requested: true, drift: c.drift };
  }
  return out;
}
